import { metricText, type Measured } from './metrics.js';
import type { EpochStats, ProgressMode } from './types.js';

/** Where training reports progress; one implementation draws a bar, one writes lines, one does nothing. */
export interface ProgressReporter {
  /** `samplesTotal` is undefined while a `tf.data.Dataset` has not been read through once. */
  batch(epoch: number, samplesDone: number, samplesTotal: number | undefined, seconds: number, running: Measured): void;
  epoch(stats: EpochStats, epochs: number): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly epochs: number;
  readonly log?: (text: string) => void;
  /** Whether standard error is a terminal; passed in so tests can pretend. */
  readonly isTTY?: boolean;
  /** Seconds between plain lines. Default 10. */
  readonly lineInterval?: number;
  /** Clock in milliseconds. Default `performance.now`. */
  readonly now?: () => number;
}

const BAR_WIDTH = 20;
// Redrawing a terminal line costs more than a small batch; a few redraws a second look smooth.
const BAR_REDRAW_MS = 100;

/**
 * Makes the reporter for `mode`. `'auto'` draws a bar when standard error is a terminal and no `log` was given,
 * and writes lines otherwise.
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  const stderr = globalThis.process?.stderr;
  const isTTY = options.isTTY ?? stderr?.isTTY === true;
  const mode = options.mode === 'auto' ? (isTTY && options.log === undefined ? 'bar' : 'lines') : options.mode;
  const now = options.now ?? (() => performance.now());
  if (mode === 'none') return { batch: () => undefined, epoch: () => undefined };
  if (mode === 'bar') {
    const write = options.log ?? ((text: string) => void stderr?.write(text));
    let lastDraw = -Infinity;
    return {
      batch(epoch, done, total, seconds, running) {
        if (now() - lastDraw < BAR_REDRAW_MS && (total === undefined || done < total)) return;
        lastDraw = now();
        write(`\r${barLine(epoch, options.epochs, done, total, seconds, running)}\x1b[K`);
      },
      epoch(stats, epochs) {
        lastDraw = -Infinity;
        write(`\r${epochLine(stats, epochs)}\x1b[K\n`);
      },
    };
  }
  // Outside Node.js there is no standard error: lines go to the console.
  const write = options.log ?? ((line: string) => (stderr === undefined ? console.error(line) : void stderr.write(`${line}\n`)));
  const interval = (options.lineInterval ?? 10) * 1000;
  let lastLine = now();
  return {
    batch(epoch, done, total, seconds, running) {
      if (now() - lastLine < interval) return;
      lastLine = now();
      write(plainLine(epoch, options.epochs, done, total, seconds, running));
    },
    epoch(stats, epochs) {
      lastLine = now();
      write(epochLine(stats, epochs));
    },
  };
}

function barLine(epoch: number, epochs: number, done: number, total: number | undefined, seconds: number, running: Measured): string {
  const rate = seconds > 0 ? done / seconds : 0;
  if (total === undefined) return `epoch ${epoch}/${epochs} ${done} samples ${rate.toFixed(0)} samples/s ${measure(running)}`;
  const filled = Math.round((done / total) * BAR_WIDTH);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done < total ? '>' : '=') : '') + ' '.repeat(BAR_WIDTH - filled);
  const eta = rate > 0 ? (total - done) / rate : 0;
  return `epoch ${epoch}/${epochs} [${bar}] ${Math.floor((100 * done) / total)}% ${rate.toFixed(0)} samples/s ETA ${clock(eta)} ${measure(running)}`;
}

function plainLine(epoch: number, epochs: number, done: number, total: number | undefined, seconds: number, running: Measured): string {
  const rate = seconds > 0 ? done / seconds : 0;
  if (total === undefined) return `epoch ${epoch}/${epochs} ${done} samples ${rate.toFixed(0)} samples/s ${measure(running)}`;
  const eta = rate > 0 ? (total - done) / rate : 0;
  return `epoch ${epoch}/${epochs} ${done}/${total} samples ${rate.toFixed(0)} samples/s ETA ${clock(eta)} ${measure(running)}`;
}

function measure(m: Measured, prefix = ''): string {
  const metric = metricText(m);
  return `${prefix}loss ${m.loss.toFixed(4)}${metric === '' ? '' : ` ${prefix}${metric}`}`;
}

/** The line that closes an epoch, in every mode but `'none'`. */
export function epochLine(stats: EpochStats, epochs: number): string {
  const train = measure({ loss: stats.trainLoss, ...pick(stats.trainAccuracy, stats.trainMae, stats.trainPerplexity) });
  const test =
    stats.testLoss === undefined ? '' : ` ${measure({ loss: stats.testLoss, ...pick(stats.testAccuracy, stats.testMae, stats.testPerplexity) }, 'test ')}`;
  return `epoch ${stats.epoch}/${epochs} ${train}${test} ${stats.samplesPerSecond.toFixed(0)} samples/s ${stats.seconds.toFixed(1)}s`;
}

function pick(accuracy: number | undefined, mae: number | undefined, perplexity: number | undefined): Omit<Measured, 'loss'> {
  return {
    ...(accuracy === undefined ? {} : { accuracy }),
    ...(mae === undefined ? {} : { mae }),
    ...(perplexity === undefined ? {} : { perplexity }),
  };
}

function clock(seconds: number): string {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, '0')}`;
}
