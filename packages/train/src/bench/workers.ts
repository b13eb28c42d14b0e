// `node dist/bench/workers.js [--model model.json] [--workers 1,2] [--steps 100] [--rounds 2] [--json]`:
// train()'s samples/s on the best backend for each worker count, the runs alternated in rounds so load from other
// work on the machine falls on every count alike. Speed is measured here, never in tests.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '@graft/core/node';
import { loadMnist } from '@graft/datasets';
import { useBestBackend } from '@graft/engine';
import { mnistSeed } from '@graft/models';
import { train } from '../train.js';

/** Samples per second of one worker count, averaged over rounds (each round's second epoch, after warm-up). */
export interface WorkersResult {
  readonly workers: number;
  readonly samplesPerSecond: number;
}

const BATCH = 32;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      workers: { type: 'string', default: '1,2' },
      steps: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '2' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const counts = (values.workers ?? '1,2').split(',').map(Number);
  const steps = Number(values.steps);
  const rounds = Number(values.rounds);
  if (counts.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(steps) || steps < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error('--workers takes positive integers separated by commas; --steps and --rounds positive integers.');
  }
  const backend = await useBestBackend(values.backend as Parameters<typeof useBestBackend>[0]);
  const data = await loadMnist({ limit: { train: steps * BATCH } });
  const build = async (): Promise<tf.LayersModel> => (values.model === undefined ? mnistSeed() : loadModel(values.model));
  const sums = new Map(counts.map((n) => [n, 0]));
  for (let round = 0; round < rounds; round++) {
    for (const workers of counts) {
      const model = await build();
      const history = await train(model, { train: data.train }, { epochs: 2, batchSize: BATCH, seed: round + 1, workers, progress: 'none' });
      sums.set(workers, (sums.get(workers) ?? 0) + (history.epochs[1]?.samplesPerSecond ?? 0));
      model.dispose();
    }
  }
  const results: WorkersResult[] = counts.map((workers) => ({ workers, samplesPerSecond: (sums.get(workers) ?? 0) / rounds }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ backend: backend.name, steps, batch: BATCH, results })}\n`);
    return;
  }
  process.stdout.write(`backend ${backend.name}, ${steps} steps of ${BATCH}, ${rounds} round(s):\n`);
  for (const r of results) process.stdout.write(`  workers ${r.workers}: ${r.samplesPerSecond.toFixed(0)} samples/s\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
