import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadMnist, type DataSplit } from '@graft/datasets';
import { mnistSeed } from '@graft/models';
import { train } from '../train.js';

/** What one comparison measured. */
export interface BenchResult {
  readonly backend: string;
  readonly steps: number;
  readonly trainSamplesPerSecond: number;
  readonly fitSamplesPerSecond: number;
  /** train() speed over fit() speed: above 1 means train() is faster. */
  readonly ratio: number;
}

const BATCH = 32;
const WARMUP_STEPS = 5;

/** Seconds `fit` takes for one epoch over `split`. */
async function timeFit(split: DataSplit): Promise<number> {
  const model = mnistSeed({ seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  // fit gets its data as ready tensors (made before the clock starts); train() converts bytes per batch on the clock.
  const { xs, ys } = split.toTensors();
  const started = performance.now();
  await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([xs, ys]);
  model.dispose();
  return seconds;
}

/** Seconds `train()` takes for one epoch over `split`. */
async function timeTrain(split: DataSplit): Promise<number> {
  const model = mnistSeed({ seed: 1 });
  const started = performance.now();
  // One worker: this compares train()'s own loop with fit() on the same single thread.
  await train(model, { train: split }, { epochs: 1, batchSize: BATCH, optimizer: 'adam', learningRate: 1e-3, seed: 1, progress: 'none', workers: 1 });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  return seconds;
}

/**
 * Samples per second of `train()` and of `tf.LayersModel.fit` for the same `steps` gradient steps each (batch 32,
 * Adam 1e-3, the reference model, real MNIST) on the backend that is active now. Both run a few warm-up steps
 * first; then the steps are split into `rounds` that alternate fit and train, so a machine that slows down or
 * speeds up midway (other work on it) affects both alike.
 */
export async function benchTrainVsFit(steps: number, rounds = 2): Promise<BenchResult> {
  const mnist = await loadMnist({ limit: { train: steps * BATCH } });
  const warmup = mnist.train.take(WARMUP_STEPS * BATCH);
  await timeFit(warmup);
  await timeTrain(warmup);
  let fitSeconds = 0;
  let trainSeconds = 0;
  for (let round = 0; round < rounds; round++) {
    const part = mnist.train.slice(Math.floor((round * steps) / rounds) * BATCH, Math.floor(((round + 1) * steps) / rounds) * BATCH);
    fitSeconds += await timeFit(part);
    trainSeconds += await timeTrain(part);
  }
  const samples = mnist.train.size;
  const trainSamplesPerSecond = samples / trainSeconds;
  const fitSamplesPerSecond = samples / fitSeconds;
  return { backend: tf.getBackend(), steps, trainSamplesPerSecond, fitSamplesPerSecond, ratio: trainSamplesPerSecond / fitSamplesPerSecond };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'cpu' },
      steps: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
    },
  });
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer; got ${values.steps}.`);
  // Only registered backends can be chosen: conv training on wasm needs kernels that @graft/engine registers, so
  // a wrapper that imports the engine first (or `node --import`) decides what is available.
  if (!(await tf.setBackend(values.backend))) {
    throw new Error(`Backend "${values.backend}" is not available here; registered: ${Object.keys(tf.engine().registryFactory).join(', ')}.`);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > steps) throw new Error(`--rounds must be an integer in 1..steps; got ${values.rounds}.`);
  const result = await benchTrainVsFit(steps, rounds);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `backend ${result.backend}, ${steps} steps of ${BATCH}: train() ${result.trainSamplesPerSecond.toFixed(0)} samples/s, ` +
      `fit() ${result.fitSamplesPerSecond.toFixed(0)} samples/s, ratio ${result.ratio.toFixed(3)}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
