/** Where a step-based training run reports progress, like `train`'s epochs: a redrawn bar or periodic lines. */
export interface StepProgress {
  step(done: number, loss: number): void;
  evaluated(done: number, testLoss: number): void;
  finish(): void;
}

/** Options of {@link stepProgress}. */
export interface StepProgressOptions {
  readonly label: string;
  readonly steps: number;
  /** Draw a bar (a terminal) or write a line every `lineInterval` seconds. Default: bar when stderr is a TTY. */
  readonly isTTY?: boolean;
  readonly write?: (text: string) => void;
  readonly lineInterval?: number;
  readonly now?: () => number;
}

const BAR_WIDTH = 20;
const BAR_REDRAW_MS = 100;

/**
 * Progress of a run counted in steps, in the MNIST demo's style (a bar with rate, ETA and loss on a terminal,
 * else a plain line every 10 s), with one line per test evaluation.
 */
export function stepProgress(options: StepProgressOptions): StepProgress {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const now = options.now ?? (() => performance.now());
  const bar = options.isTTY ?? process.stderr.isTTY === true;
  const interval = (options.lineInterval ?? 10) * 1000;
  const started = now();
  let last = bar ? -Infinity : started;
  const status = (done: number, loss: number): string => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (options.steps - done) / rate : 0;
    const filled = Math.round((done / options.steps) * BAR_WIDTH);
    const drawn = bar ? ` [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR_WIDTH - filled)}]` : '';
    return `${options.label} step ${done}/${options.steps}${drawn} ${rate.toFixed(1)} steps/s ETA ${clock(eta)} loss ${loss.toFixed(4)}`;
  };
  return {
    step(done, loss) {
      if (bar ? now() - last < BAR_REDRAW_MS && done < options.steps : now() - last < interval) return;
      last = now();
      write(bar ? `\r${status(done, loss)}\x1b[K` : `${status(done, loss)}\n`);
    },
    evaluated(done, testLoss) {
      const line = `${options.label} step ${done}/${options.steps} test loss ${testLoss.toFixed(4)}`;
      write(bar ? `\r${line}\x1b[K\n` : `${line}\n`);
      last = bar ? -Infinity : now();
    },
    finish() {
      if (bar) write('\r\x1b[K');
    },
  };
}

function clock(seconds: number): string {
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
