import { parseArgs } from 'node:util';
import { GraftError } from '@graft/core';
import { parseBackendName, type BackendName } from '../backend/backend-names.js';

/** What `npm run bench` was asked to do. */
export interface BenchArgs {
  readonly json: boolean;
  readonly backend: BackendName | undefined;
  readonly steps: number;
  readonly warmupSteps: number;
  readonly batchSize: number;
  readonly torch: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench -- [--json] [--backend tensorflow|wasm|cpu] [--steps N] [--warmup N] [--batch-size N] [--no-torch]
Trains the reference model (Conv2D(32,3,relu) → Flatten → Dense(20,relu) → Dense(10,softmax), Adam 1e-3) on
28×28×1 float32 batches and prints samples/s and peak RSS, next to PyTorch's samples/s from the same run.`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new GraftError('INVALID_ARGUMENT', `--${name} must be a positive integer. Actual: "${value}".`);
  }
  return parsed;
}

/**
 * Reads the bench's command line.
 *
 * @throws GraftError('INVALID_ARGUMENT') for unknown options or bad values.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        backend: { type: 'string' },
        steps: { type: 'string' },
        warmup: { type: 'string' },
        'batch-size': { type: 'string' },
        'no-torch': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new GraftError('INVALID_ARGUMENT', `${(error as Error).message}. ${BENCH_USAGE.split('\n')[0]}`, { cause: error });
  }
  if (values.help === true) return 'help';
  return {
    json: values.json === true,
    backend: values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'),
    steps: positiveInt(values.steps, 'steps', 300),
    warmupSteps: positiveInt(values.warmup, 'warmup', 20),
    batchSize: positiveInt(values['batch-size'], 'batch-size', 32),
    torch: values['no-torch'] !== true,
  };
}
