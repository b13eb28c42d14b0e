import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GraftError } from '@graft/core';
import { parseBackendName, type BackendName } from '@graft/engine';

/** A data set the demo can run on. */
export type DemoDataset = 'mnist' | 'fashion-mnist';

/** Which experiment `npm start` runs. */
export type DemoExperiment = 'mnist' | 'gpt';

/** What the command line asked for, checked and with defaults filled in. */
export interface DemoOptions {
  /** `mnist` (the default): the reference image experiment; `gpt`: growing a character-level GPT on Brown. */
  readonly experiment: DemoExperiment;
  /** GPT experiment: how many seeds (each a base model with its grown and from-scratch runs). */
  readonly seeds: number;
  /** Data sets to run, in order: one, or both for `--dataset all`. */
  readonly datasets: readonly DemoDataset[];
  /** Epochs of the base model, and again of each grown model. */
  readonly epochs: number;
  /** Backend preference handed to the engine; undefined lets it pick the fastest. */
  readonly backend: BackendName | undefined;
  /** Train only the added layers for the first grown epoch, then every layer. */
  readonly freeze: boolean;
  readonly seed: number;
  /** A small slice of the data and one epoch, for the CI smoke run. */
  readonly quick: boolean;
  /** Also train the grown architecture from scratch for the same number of steps. */
  readonly compareScratch: boolean;
  /** Absolute folder the report goes to. */
  readonly out: string;
  /** Print stack traces of failures. */
  readonly debug: boolean;
  readonly help: boolean;
}

/** Training and test images a `--quick` run keeps: enough to learn something, small enough for CI. */
export const QUICK_LIMIT = { train: 2_000, test: 1_000 } as const;
export const DEFAULT_EPOCHS = 2;
export const DEFAULT_SEED = 42;
/** Seeds of a full GPT run (a quick one runs 1). */
export const DEFAULT_GPT_SEEDS = 3;

export const USAGE = `Usage: npm start -- [options]

Trains the reference MNIST model, grows it with dense-identity and conv-gate, shows that growing changed
nothing, keeps training, and writes report.json and report.html.

With --experiment gpt: trains a small character-level GPT on the Brown corpus, grows it with block-copy (twice
the blocks) and hyperclone (twice the width), fine-tunes each, trains each grown architecture from scratch with
the same training FLOPs, and reports test loss against FLOPs.

Options:
  --experiment NAME      mnist (default) or gpt
  --seeds N              gpt: number of seeds, each with its own base model (default ${DEFAULT_GPT_SEEDS}; 1 with --quick)
  --epochs N             epochs of the base model, and again of each grown model (default ${DEFAULT_EPOCHS}; 1 with --quick)
  --dataset NAME         mnist, fashion-mnist, or all (both, one report folder each) (default mnist)
  --backend NAME         tensorflow, wasm or cpu instead of the fastest available backend
  --freeze               train only the new layers for the first grown epoch, then all layers
  --seed N               seed of initialisation and shuffling (default ${DEFAULT_SEED})
  --quick                ${QUICK_LIMIT.train} training / ${QUICK_LIMIT.test} test images, 1 epoch (gpt: a tiny model, a few dozen steps): the CI smoke run
  --compare-scratch      also train the grown architecture from scratch for the same number of steps
  --out DIR              report folder (default reports/<timestamp>/); must be new or empty
  --debug                print stack traces of failures
  -h, --help             show this help`;

/**
 * Reads the demo's command line.
 *
 * @param now - the time that names the default report folder.
 * @throws GraftError `INVALID_ARGUMENT` naming the option and what it expected (the demo exits with 2).
 */
export function parseOptions(args: readonly string[], cwd: string, now: Date = new Date()): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        experiment: { type: 'string' },
        seeds: { type: 'string' },
        epochs: { type: 'string' },
        dataset: { type: 'string' },
        backend: { type: 'string' },
        freeze: { type: 'boolean' },
        seed: { type: 'string' },
        quick: { type: 'boolean' },
        'compare-scratch': { type: 'boolean' },
        out: { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (cause) {
    // parseArgs says what was wrong in one line ("Unknown option '--foo'"); keep it, point at --help.
    const reason = (cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause)).replace(/\.$/, '');
    throw new GraftError('INVALID_ARGUMENT', `${reason}. Run with --help for the options.`, { cause });
  }
  const quick = values.quick === true;
  const experiment = parseExperiment(values.experiment);
  if (experiment === 'gpt') {
    const mnistOnly = (['epochs', 'dataset', 'freeze', 'compare-scratch'] as const).filter((name) => values[name] !== undefined);
    if (mnistOnly.length > 0) {
      throw new GraftError('INVALID_ARGUMENT', `--${mnistOnly[0]} belongs to the MNIST experiment; --experiment gpt takes --seeds, --quick, --seed, --backend, --out.`);
    }
  } else if (values.seeds !== undefined) {
    throw new GraftError('INVALID_ARGUMENT', '--seeds belongs to --experiment gpt; the MNIST experiment takes --seed.');
  }
  return {
    experiment,
    seeds: values.seeds === undefined ? (quick ? 1 : DEFAULT_GPT_SEEDS) : positiveInteger('--seeds', values.seeds),
    datasets: parseDataset(values.dataset),
    epochs: values.epochs === undefined ? (quick ? 1 : DEFAULT_EPOCHS) : positiveInteger('--epochs', values.epochs),
    backend: parseBackend(values.backend),
    freeze: values.freeze === true,
    seed: values.seed === undefined ? DEFAULT_SEED : seedValue(values.seed),
    quick,
    compareScratch: values['compare-scratch'] === true,
    out: resolve(cwd, values.out === undefined ? join('reports', timestampFolder(now)) : nonEmpty('--out', values.out)),
    debug: values.debug === true,
    help: values.help === true,
  };
}

/** `2025-01-31T12-34-56-789Z`: an ISO time that is a valid folder name everywhere (no `:`). */
export function timestampFolder(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

function parseExperiment(value: string | undefined): DemoExperiment {
  if (value === undefined || value === 'mnist') return 'mnist';
  if (value === 'gpt') return 'gpt';
  throw new GraftError('INVALID_ARGUMENT', `--experiment must be mnist or gpt; got "${value}".`);
}

function parseDataset(value: string | undefined): DemoDataset[] {
  if (value === undefined || value === 'mnist') return ['mnist'];
  if (value === 'fashion-mnist') return ['fashion-mnist'];
  if (value === 'all') return ['mnist', 'fashion-mnist'];
  throw new GraftError('INVALID_ARGUMENT', `--dataset must be mnist, fashion-mnist or all; got "${value}".`);
}

function parseBackend(value: string | undefined): BackendName | undefined {
  return value === undefined ? undefined : parseBackendName(value, '--backend');
}

function positiveInteger(option: string, value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new GraftError('INVALID_ARGUMENT', `${option} must be a positive integer; got "${value}".`);
  }
  return parsed;
}

function seedValue(value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  // Seeds travel through 32-bit generators; a larger one would be silently truncated.
  if (!Number.isSafeInteger(parsed) || parsed >= 2 ** 32) {
    throw new GraftError('INVALID_ARGUMENT', `--seed must be an integer from 0 to ${2 ** 32 - 1}; got "${value}".`);
  }
  return parsed;
}

function nonEmpty(option: string, value: string): string {
  if (value.trim() === '') throw new GraftError('INVALID_ARGUMENT', `${option} needs a value.`);
  return value;
}
