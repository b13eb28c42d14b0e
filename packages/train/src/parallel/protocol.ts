import type * as tf from '@tensorflow/tfjs';
import type { TaskName } from '../task.js';
import type { TensorPayload } from './payload.js';
import type { FullOptimizerState } from './sliced-optimizer.js';

/** How a replica rebuilds the optimizer: tfjs' registered class name and its serialisable config. */
export interface OptimizerRecipe {
  readonly className: string;
  readonly config: tf.serialization.ConfigDict;
}

/** Everything a replica needs to start, sent once. */
export interface InitMessage {
  readonly type: 'init';
  readonly index: number;
  readonly parties: number;
  /** The tfjs backend the main thread trains on; every replica starts the same one. */
  readonly backend: string;
  /** The task whose loss and metric the replicas compute (resolved again in each replica for its own model). */
  readonly task: TaskName;
  readonly artifacts: tf.io.ModelArtifacts;
  readonly optimizer: OptimizerRecipe;
  readonly barrier: Int32Array;
  /** Every replica's region (`stride` floats each), on a SharedArrayBuffer. */
  readonly regions: Float32Array;
  /** The averaged region every replica applies, on a SharedArrayBuffer. */
  readonly average: Float32Array;
  readonly stride: number;
}

/** Which layers and variables train from now on (once per epoch, the optimizer's order). */
export interface TrainableMessage {
  readonly type: 'trainable';
  readonly layers: readonly string[];
  readonly weightNames: readonly string[];
  /** The whole optimizer state to continue from; each replica keeps its own share. */
  readonly optimizerState: FullOptimizerState;
}

/** One gradient step on this replica's shard of a batch. */
export interface StepMessage {
  readonly type: 'step';
  /** The shard's inputs, in the model's input order (may hold zero rows). */
  readonly inputs: readonly TensorPayload[];
  readonly targets: TensorPayload;
  /** Every replica's share of the batch (rows / batch rows), in replica order. */
  readonly shares: readonly number[];
}

/** Requests for the replica's model weights or its share of the optimizer state. */
export interface ReadMessage {
  readonly type: 'weights' | 'optimizer-state';
}

export type Request = InitMessage | TrainableMessage | StepMessage | ReadMessage;

/** What a step measured on one shard. */
export interface StepResult {
  readonly rows: number;
  /** Mean loss over the shard (0 for an empty shard). */
  readonly loss: number;
  /** The task's metric summed over the shard (correct predictions, absolute errors; 0 when the task has none). */
  readonly metricSum: number;
}

/** A replica's answer to the request with the same `id`. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code?: string; readonly message: string; readonly aborted: boolean };
