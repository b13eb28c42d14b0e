import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { freezeNormalization } from '../frozen-normalization.js';
import { resolveTask, type Task, type TaskName } from '../task.js';
import { arriveAndWait, type BarrierState } from './barrier.js';
import { layoutOf, reduceRange, reductionRange, type Layout, type Slot } from './layout.js';
import { fromPayload, type TensorPayload } from './payload.js';
import type { OptimizerRecipe, StepResult } from './protocol.js';
import { copyValuesInto, tensorOf } from './storage.js';
import { SlicedOptimizer, type FullOptimizerState, type SliceState } from './sliced-optimizer.js';

/** The shared memory a replica works in. */
export interface SharedRegions {
  readonly barrier: BarrierState;
  readonly regions: Float32Array;
  readonly average: Float32Array;
  readonly stride: number;
}

/**
 * One model replica inside a worker. Each step it computes the gradient of the mean loss over its own shard and
 * writes it (and the state its trainable layers updated, BatchNormalization's moving statistics) into its region.
 * After the first barrier it averages its own range of every region, weighted by shard size, and applies the
 * averaged gradient to the parameters in that range with its {@link SlicedOptimizer}, writing the new weights
 * over the average. After the second barrier every replica copies all new weights and averaged statistics into
 * its model. Each element is computed by exactly one replica and copied by all, so the replicas stay
 * bit-identical, and the optimizer's work is split N ways instead of repeated.
 */
export class Replica {
  private variables: tf.Variable[] = [];
  private stateVariables: tf.Variable[] = [];
  private layout: Layout = layoutOf([], []);
  private optimizer: SlicedOptimizer | undefined;
  private restoreNormalization: () => void = () => undefined;
  private task: Task | undefined;

  constructor(
    readonly model: tf.LayersModel,
    private readonly recipe: OptimizerRecipe,
    private readonly taskName: TaskName,
    private readonly shared: SharedRegions,
    private readonly index: number,
  ) {}

  /**
   * Trains `weightNames` (in this order, the optimizer's) of `layers` from now on, continuing from `state`;
   * other layers stay frozen.
   */
  async setTrainable(layers: readonly string[], weightNames: readonly string[], state: FullOptimizerState): Promise<void> {
    const byName = new Map(this.model.weights.map((weight) => [weight.originalName, weight.read() as tf.Variable]));
    const variables = weightNames.map((name) => {
      const variable = byName.get(name);
      if (variable === undefined) throw new GraftError('UNKNOWN_LAYER', `The replica's model has no weight "${name}".`);
      return variable;
    });
    const chosen = new Set(layers);
    const statistics = this.model.layers.filter((layer) => chosen.has(layer.name)).flatMap((layer) => layer.nonTrainableWeights);
    const layout = layoutOf(
      weightNames.map((name, k) => [name, (variables[k] as tf.Variable).shape] as const),
      statistics.map((weight) => [weight.originalName, weight.shape as number[]] as const),
    );
    if (layout.length > this.shared.stride) {
      throw new Error(`unreachable: the layout needs ${layout.length} floats; the regions hold ${this.shared.stride}`);
    }
    const range = reductionRange(layout.length, this.index, this.shared.barrier.parties);
    const optimizer = await SlicedOptimizer.create(this.recipe, layout, range, state, (slot) => (variables[slot] as tf.Variable).dataSync() as Float32Array);
    this.optimizer?.dispose();
    this.optimizer = optimizer;
    this.variables = variables;
    this.stateVariables = statistics.map((weight) => weight.read() as tf.Variable);
    this.layout = layout;
    this.restoreNormalization();
    this.restoreNormalization = freezeNormalization(this.model, layers);
  }

  /** This replica's share of the optimizer state. */
  exportState(): Promise<SliceState> {
    if (this.optimizer === undefined) throw new Error('the replica has not been told what to train');
    return this.optimizer.exportState();
  }

  /** One synchronised step (see the class comment). Blocks the worker thread at the two barriers. */
  step(inputs: readonly TensorPayload[], targets: TensorPayload, shares: readonly number[]): StepResult {
    const optimizer = this.optimizer;
    if (optimizer === undefined) throw new Error('the replica has not been told what to train');
    const rows = targets.shape[0] ?? 0;
    const measured = rows > 0 ? this.writeShard(inputs, targets) : { loss: 0, metricSum: 0 };
    const { barrier, regions, average, stride } = this.shared;
    arriveAndWait(barrier);
    const [start, end] = reductionRange(this.layout.length, this.index, barrier.parties);
    reduceRange(regions, stride, shares, average, start, end);
    optimizer.apply(average);
    arriveAndWait(barrier);
    this.copyAverage();
    return { rows, ...measured };
  }

  private writeShard(inputs: readonly TensorPayload[], targets: TensorPayload): { loss: number; metricSum: number } {
    const base = this.index * this.shared.stride;
    return tf.tidy(() => {
      const xs = inputs.map(fromPayload);
      const ys = fromPayload(targets);
      // Resolved here from the task's name: the same task the main thread resolved, for this replica's model.
      const task = (this.task ??= resolveTask(this.model, this.taskName, ys));
      let metric: tf.Scalar | undefined;
      // The same loss as the single-thread step in step.ts, so one replica reproduces it bit for bit.
      const { value, grads } = tf.variableGrads(() => {
        const predictions = this.model.apply(xs.length === 1 ? (xs[0] as tf.Tensor) : xs, { training: true }) as tf.Tensor;
        // Kept past variableGrads' own scope, as step.ts does, so the metric needs no second forward pass.
        const sum = task.metricSum(ys, predictions);
        metric = sum === undefined ? undefined : tf.keep(sum);
        return task.loss(ys, predictions);
      }, this.variables);
      this.layout.gradients.forEach((slot, k) => {
        const gradient = grads[(this.variables[k] as tf.Variable).name];
        if (gradient === undefined || gradient === null) {
          throw new GraftError('INVALID_ARGUMENT', `Weight "${slot.name}" gets no gradient from the loss; train this model with workers: 1.`);
        }
        copyValuesInto(gradient, this.shared.regions, base + slot.offset);
      });
      this.layout.state.forEach((slot, k) => copyValuesInto(this.stateVariables[k] as tf.Variable, this.shared.regions, base + slot.offset));
      const kept = metric;
      const metricSum = kept === undefined ? 0 : (kept.dataSync()[0] as number);
      kept?.dispose();
      return { loss: value.dataSync()[0] as number, metricSum };
    });
  }

  /** Every new weight and averaged statistic from shared memory into the model. */
  private copyAverage(): void {
    const { average } = this.shared;
    const valueOf = (slot: Slot): tf.Tensor => tensorOf(average.subarray(slot.offset, slot.offset + slot.size), slot.shape);
    tf.tidy(() => {
      this.layout.gradients.forEach((slot, k) => (this.variables[k] as tf.Variable).assign(valueOf(slot)));
      this.layout.state.forEach((slot, k) => (this.stateVariables[k] as tf.Variable).assign(valueOf(slot)));
    });
  }
}
