import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { GraftError, type GraftErrorCode } from '@graft/core';
import { optimizerState, type NamedTensor } from '../optimizer.js';
import type { TaskName } from '../task.js';
import { abortBarrier, createBarrier, type BarrierState } from './barrier.js';
import { shardSizes } from './layout.js';
import { buffersOf, fromPayload, rowsOf, toPayload, type NamedPayload, type PayloadData } from './payload.js';
import type { InitMessage, Reply, Request, StepResult } from './protocol.js';
import { optimizerRecipe } from './optimizer-recipe.js';
import { assembleState, type FullOptimizerState, type SliceState } from './sliced-optimizer.js';
import { workerScriptUrl } from './worker-url.js';

/** Options of {@link startReplicaPool}. */
export interface ReplicaPoolOptions {
  /** Number of worker threads (replicas), at least 1. */
  readonly workers: number;
  /** Its class, config and current state are copied into every replica; the instance itself is not used. */
  readonly optimizer: tf.Optimizer;
  /**
   * The weights (model.json names) the optimizer's per-variable state belongs to, in its order: the trainable
   * weights of the run it was restored from. Needed only when the optimizer already has such state.
   */
  readonly optimizerOwners?: readonly string[];
  /** The task whose loss and metric every replica computes (see `TaskName`). */
  readonly task: TaskName;
  /** The backend every replica starts (default: the main thread's current backend). */
  readonly backend?: string;
}

/** What one data-parallel step measured over the whole batch. */
export interface PoolStep {
  readonly rows: number;
  /** Mean loss over the batch (the shards' means weighted by their rows). */
  readonly loss: number;
  /** The task's metric summed over the batch. */
  readonly metricSum: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * Data-parallel training on worker threads: `workers` replicas of one model, each on its own backend instance.
 * {@link ReplicaPool.step} splits a batch into fixed contiguous shards, every replica computes its shard's
 * gradient, the gradients are averaged in shared memory in replica order, weighted by shard size (the full-batch
 * mean-loss gradient up to float rounding), and every replica applies that same average, so they stay
 * bit-identical. Start it with {@link startReplicaPool}; always {@link ReplicaPool.dispose} it.
 */
export class ReplicaPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private disposed = false;
  /** The state the next setTrainable hands out; undefined once the replicas hold newer state of their own. */
  private handedOver: FullOptimizerState | undefined;
  private weightNames: readonly string[] = [];

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly barrier: BarrierState,
    private readonly shapes: ReadonlyMap<string, readonly number[]>,
    initialState: FullOptimizerState,
  ) {
    this.handedOver = initialState;
    workers.forEach((worker, index) => {
      worker.on('message', (reply: Reply) => this.settle(reply));
      worker.on('error', (error) => this.fail(new Error(`Training replica ${index} failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => this.fail(new Error(`Training replica ${index} exited (code ${code}).`)));
    });
  }

  /** @internal Used by {@link startReplicaPool}. */
  static async create(model: tf.LayersModel, options: ReplicaPoolOptions): Promise<ReplicaPool> {
    if (!(Number.isInteger(options.workers) && options.workers >= 1)) {
      throw new GraftError('INVALID_ARGUMENT', `workers must be a positive integer; got ${options.workers}.`);
    }
    const recipe = optimizerRecipe(options.optimizer);
    const artifacts = await modelArtifacts(model);
    const state = await optimizerState(options.optimizer);
    const optimizerPayloads = state.map(({ name, tensor }): NamedPayload => ({ name, ...toPayload(tensor) }));
    tf.dispose(state.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
    const owners = options.optimizerOwners ?? [];
    const perVariable = optimizerPayloads.filter((w, k) => k > 0 && !w.name.startsWith('graft:')).length;
    if (perVariable > 0 && (owners.length === 0 || perVariable % owners.length !== 0)) {
      throw new GraftError('INVALID_ARGUMENT', `The optimizer already holds state for ${perVariable} tensors of unknown weights; give training replicas a fresh optimizer, or train with workers: 1.`);
    }
    // Every epoch's layout fits in the size of all weights together.
    const stride = model.weights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const parties = options.workers;
    const barrier = createBarrier(parties);
    const regions = new Float32Array(new SharedArrayBuffer(parties * stride * Float32Array.BYTES_PER_ELEMENT));
    const average = new Float32Array(new SharedArrayBuffer(stride * Float32Array.BYTES_PER_ELEMENT));
    const script = workerScriptUrl(import.meta.url);
    const workers = Array.from({ length: parties }, () => new Worker(script));
    const shapes = new Map(model.weights.map((weight) => [weight.originalName, weight.shape.map((d) => d ?? 1)] as const));
    const pool = new ReplicaPool(workers, barrier, shapes, { weights: optimizerPayloads, owners: perVariable === 0 ? [] : owners });
    const backend = options.backend ?? tf.getBackend();
    try {
      await pool.all(
        workers.map((_, index) => {
          const init: InitMessage = {
            type: 'init', index, parties, backend, task: options.task, artifacts, optimizer: recipe,
            barrier: barrier.cells, regions, average, stride,
          };
          return pool.request(index, init);
        }),
      );
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  /** Number of replicas. */
  get size(): number {
    return this.workers.length;
  }

  /** Trains `weightNames` (the optimizer's order) of `layers` from the next step on; other layers stay frozen. */
  async setTrainable(layers: readonly string[], weightNames: readonly string[]): Promise<void> {
    // The replicas' shares of the optimizer state are reassembled and handed out again for the new split.
    const optimizerState = this.handedOver ?? (await this.gatherState());
    await this.everyReplica({ type: 'trainable', layers: [...layers], weightNames: [...weightNames], optimizerState });
    this.weightNames = [...weightNames];
    this.handedOver = undefined;
  }

  /**
   * One gradient step on a batch: `inputs` in the model's input order and `targets`, all with the same rows.
   * The caller keeps ownership of the tensors.
   */
  async step(inputs: readonly tf.Tensor[], targets: tf.Tensor): Promise<PoolStep> {
    const rows = targets.shape[0] ?? 0;
    const sizes = shardSizes(rows, this.size);
    const shares = sizes.map((size) => size / rows);
    const inputValues = inputs.map((tensor) => tensor.dataSync<'float32' | 'int32' | 'bool'>());
    const targetValues = targets.dataSync<'float32' | 'int32' | 'bool'>();
    let start = 0;
    const results = await this.all(
      sizes.map((size, index) => {
        const shard = inputs.map((tensor, k) => rowsOf(inputValues[k] as PayloadData, tensor, start, size));
        const target = rowsOf(targetValues, targets, start, size);
        start += size;
        return this.request(index, { type: 'step', inputs: shard, targets: target, shares }, buffersOf([...shard, target])) as Promise<StepResult>;
      }),
    );
    // Every task has the same number of labels per row, so weighting by rows is weighting by labels.
    let lossSum = 0;
    let metricSum = 0;
    for (const result of results) {
      lossSum += result.loss * result.rows;
      metricSum += result.metricSum;
    }
    return { rows, loss: lossSum / rows, metricSum };
  }

  /** Copies replica 0's weights (every weight, moving statistics included) into `model`, bit for bit. */
  async copyWeightsTo(model: tf.LayersModel): Promise<void> {
    const weights = (await this.request(0, { type: 'weights' })) as NamedPayload[];
    const byName = new Map(weights.map((w) => [w.name, w]));
    const values = model.weights.map((variable) => {
      const payload = byName.get(variable.originalName);
      if (payload === undefined) throw new Error(`unreachable: the replica has no weight ${variable.originalName}`);
      return fromPayload(payload);
    });
    model.setWeights(values);
    tf.dispose(values);
  }

  /**
   * The optimizer state, reassembled from every replica's share, in the form a checkpoint stores (and a
   * single-thread optimizer restores: positional, tfjs' layout). The caller disposes the tensors.
   */
  async optimizerState(): Promise<NamedTensor[]> {
    const state = this.handedOver ?? (await this.gatherState());
    return state.weights.map((w) => ({ name: w.name, tensor: fromPayload(w) }));
  }

  private async gatherState(): Promise<FullOptimizerState> {
    const slices = (await this.everyReplica({ type: 'optimizer-state' })) as SliceState[];
    return assembleState(slices, this.weightNames, this.shapes);
  }

  /** Every replica's weights as raw bytes by name, in replica order: for checking that replicas agree. */
  async replicaWeights(): Promise<Array<Map<string, Uint8Array>>> {
    const all = (await this.everyReplica({ type: 'weights' })) as NamedPayload[][];
    return all.map((weights) => new Map(weights.map((w) => [w.name, new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)])));
  }

  /** Stops every worker; the pool cannot be used afterwards. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    abortBarrier(this.barrier);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.rejectAll(new Error('The replica pool was disposed.'));
  }

  private everyReplica(message: Request): Promise<unknown[]> {
    return this.all(this.workers.map((_, index) => this.request(index, message)));
  }

  /**
   * Waits for every replica's answer. When some failed, throws the failing replica's own error rather than the
   * "another replica failed" of those its failure woke, whichever answered first.
   */
  private async all<T>(requests: ReadonlyArray<Promise<T>>): Promise<T[]> {
    const settled = await Promise.allSettled(requests);
    const rejected = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected !== undefined) throw this.failure ?? rejected.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
  }

  private request(index: number, message: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.disposed) return Promise.reject(new Error('The replica pool was disposed.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.workers[index] as Worker).postMessage({ ...message, id }, transfer);
    });
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) return pending.resolve(reply.value);
    // A replica woken by another's failure reports "aborted"; the failing replica's own error is the one to show.
    const error = reply.code === undefined ? new Error(reply.message) : new GraftError(reply.code as GraftErrorCode, reply.message);
    if (!reply.aborted) this.failure ??= error;
    pending.reject(error);
  }

  private fail(error: Error): void {
    if (this.disposed) return;
    this.failure ??= error;
    abortBarrier(this.barrier);
    this.rejectAll(this.failure);
  }

  private rejectAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * Starts `options.workers` training replicas of `model` (its current weights, sent as tfjs ModelArtifacts) on
 * worker threads, each on its own instance of the backend, with a copy of `options.optimizer`.
 *
 * @throws GraftError `INVALID_ARGUMENT` for a bad worker count or an optimizer tfjs cannot rebuild;
 * `BACKEND_UNAVAILABLE` when a worker cannot start the backend.
 */
export function startReplicaPool(model: tf.LayersModel, options: ReplicaPoolOptions): Promise<ReplicaPool> {
  return ReplicaPool.create(model, options);
}

async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      captured = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (captured === undefined) throw new Error('unreachable: model.save called the handler');
  return captured;
}
