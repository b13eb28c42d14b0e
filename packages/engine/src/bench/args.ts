import { parseArgs } from 'node:util';
import { GraftError } from '@graft/core';
import { parseBackendName, type BackendName } from '../backend/backend-names.js';
import { BENCH_MODELS, type BenchModel } from './workloads.js';

/** What one engine bench run was asked to do; `undefined` sizes take the model's defaults. */
export interface BenchArgs {
  readonly json: boolean;
  readonly model: BenchModel;
  readonly backend: BackendName | undefined;
  readonly steps: number | undefined;
  readonly warmupSteps: number | undefined;
  readonly batchSize: number | undefined;
  readonly torch: boolean;
}

export const BENCH_USAGE = `Usage: node packages/engine/dist/bench/main.js [--model ${BENCH_MODELS.join('|')}] [--json] [--backend tensorflow|wasm|cpu] [--steps N] [--warmup N] [--batch-size N] [--no-torch]
Trains one bench model (Adam 1e-3, random data of the real shapes) and prints its throughput and peak RSS next to
its PyTorch peer's, measured in the same run (npm run bench runs every model and the surgery measurement).`;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new GraftError('INVALID_ARGUMENT', `--${name} must be a positive integer. Actual: "${value}".`);
  }
  return parsed;
}

function parseModel(value: string | undefined): BenchModel {
  if (value === undefined) return 'seed';
  if ((BENCH_MODELS as readonly string[]).includes(value)) return value as BenchModel;
  throw new GraftError('INVALID_ARGUMENT', `--model must be one of ${BENCH_MODELS.join(', ')}. Actual: "${value}".`);
}

/**
 * Reads the engine bench's command line.
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
        model: { type: 'string' },
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
    model: parseModel(values.model),
    backend: values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'),
    steps: positiveInt(values.steps, 'steps'),
    warmupSteps: positiveInt(values.warmup, 'warmup'),
    batchSize: positiveInt(values['batch-size'], 'batch-size'),
    torch: values['no-torch'] !== true,
  };
}
