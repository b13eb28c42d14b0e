import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { threads } from '#threads';

/** How many training replicas to use: every core where the model gains from it, or an exact number. */
export type WorkersSpec = 'auto' | number;

/** The worker count a run uses, and one phrase on why, for the backend line. */
export interface WorkerChoice {
  readonly workers: number;
  readonly why: string;
}

/** What {@link chooseWorkers} decides from besides the model. */
export interface WorkerContext {
  readonly batchSize: number;
  /** The tfjs backend the run trains on. */
  readonly backend: string;
  /** Cores available to this process (`os.availableParallelism()`); 0 where worker threads are unavailable. */
  readonly cores: number;
}

/**
 * Below this much arithmetic per replica per step, splitting a batch does not pay: a data-parallel step adds a
 * fixed cost (a message to and from every worker, two barriers, the gradient copied into shared memory, the
 * reduction, the new weights copied back out), measured at ~4 ms per step for the seed model's 440k weights on wasm
 * (2 cores, December 2026; ~9 ms before the copies and the reduction were made allocation-free), and wasm computes
 * ~19 GFLOP/s of the seed model's training on one core there. Two replicas of t ms each beat one of 2t when
 * t > ~4 ms, ~75 MFLOP each; at 100 MFLOP (~5 ms) they win by ~1.15x, and the gain grows with the model: the seed
 * MNIST model at batch 32 (~125 MFLOP per step, measured 0.93x on two) stays on one thread; grown with a conv gate
 * (~1.3 GFLOP, measured 1.6x) it uses every core.
 */
export const MIN_FLOPS_PER_WORKER = 100e6;

/** Backends whose kernels a worker thread can start a private instance of. */
const THREADABLE_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * The number of training replicas {@link train} uses for `model` with these options on the current backend and
 * this machine, and why, in the words of the backend line (`workers: 2 of 2 cores (auto: ~1325 MFLOP per step,
 * ≥ 100 MFLOP per worker)`). `'auto'` (the default) means every core when one training step's estimated arithmetic
 * gives each worker at least {@link MIN_FLOPS_PER_WORKER} (100 MFLOP), else 1; always 1 on the tensorflow backend (libtensorflow threads by
 * itself) and where worker threads are unavailable.
 *
 * @throws GraftError `INVALID_ARGUMENT` for a worker count that is not `'auto'` or a positive integer, or more than
 * one worker where they cannot run (a backend other than wasm or cpu, or no worker threads).
 */
export function chooseWorkers(model: tf.LayersModel, options: { readonly workers?: WorkersSpec; readonly batchSize?: number } = {}): WorkerChoice {
  return workerCount(model, options.workers ?? 'auto', { batchSize: options.batchSize ?? 32, backend: tf.getBackend(), cores: threads.cores() });
}

/**
 * Decides the worker count. `'auto'`: every core (at most one replica per sample of the batch) when one training
 * step's estimated arithmetic ({@link trainingFlopsPerSample} × batch size) gives each worker at least
 * {@link MIN_FLOPS_PER_WORKER}; otherwise 1. Always 1 on a backend that threads by itself (tensorflow) or cannot
 * run in workers. A number is taken as given.
 *
 * @throws GraftError `INVALID_ARGUMENT` for a count that is not a positive integer, or more than one worker on a
 * backend other than wasm or cpu, or where worker threads are unavailable.
 */
export function workerCount(model: tf.LayersModel, spec: WorkersSpec, context: WorkerContext): WorkerChoice {
  if (spec !== 'auto') {
    if (!(Number.isInteger(spec) && spec >= 1)) throw new GraftError('INVALID_ARGUMENT', `workers must be 'auto' or a positive integer; got ${String(spec)}.`);
    if (spec > 1 && !THREADABLE_BACKENDS.has(context.backend)) {
      throw new GraftError('INVALID_ARGUMENT', `workers: ${spec} needs the wasm or cpu backend; the ${context.backend} backend trains on one thread pool of its own (use workers: 1).`);
    }
    if (spec > 1 && context.cores === 0) throw new GraftError('INVALID_ARGUMENT', `workers: ${spec} needs worker threads, which this runtime lacks.`);
    return { workers: spec, why: spec === 1 ? 'workers: 1 (asked for)' : `workers: ${spec} (asked for, ${context.cores} cores)` };
  }
  if (!THREADABLE_BACKENDS.has(context.backend)) return { workers: 1, why: `workers: 1 (auto: the ${context.backend} backend threads by itself)` };
  if (context.cores < 2) return { workers: 1, why: context.cores === 0 ? 'workers: 1 (auto: no worker threads here)' : 'workers: 1 (auto: one core)' };
  const stepFlops = trainingFlopsPerSample(model) * context.batchSize;
  const affordable = Math.floor(stepFlops / MIN_FLOPS_PER_WORKER);
  const workers = Math.max(1, Math.min(context.cores, affordable, context.batchSize));
  const estimate = `~${megaflops(stepFlops)} MFLOP per step`;
  if (workers === 1) return { workers, why: `workers: 1 (auto: ${estimate}, under ${megaflops(2 * MIN_FLOPS_PER_WORKER)} MFLOP worth splitting)` };
  return { workers, why: `workers: ${workers} of ${context.cores} cores (auto: ${estimate}, ≥ ${megaflops(MIN_FLOPS_PER_WORKER)} MFLOP per worker)` };
}

/**
 * Estimated floating-point operations of one training step per sample: 3 × (forward multiply-adds × 2), the
 * backward pass costing about twice the forward. A layer's multiply-adds are its weight count times the positions
 * it is applied at (the output's inner dimensions: pixels for a conv, tokens for a Dense on rank-3 input).
 * Embeddings (lookups) and weightless layers (activations, pooling, attention products) are not counted, so
 * the estimate errs low.
 */
export function trainingFlopsPerSample(model: tf.LayersModel): number {
  let multiplyAdds = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Embedding') continue;
    const weights = layer.weights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    if (weights === 0) continue;
    const output = (Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape) as ReadonlyArray<number | null>;
    const positions = output.slice(1, -1).reduce((a: number, b) => a * (b ?? 1), 1);
    multiplyAdds += weights * positions;
  }
  return 6 * multiplyAdds;
}

function megaflops(flops: number): string {
  const value = flops / 1e6;
  return value >= 10 ? value.toFixed(0) : value.toPrecision(2);
}
