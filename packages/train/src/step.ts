import * as tf from '@tensorflow/tfjs';
import type { ReplicaPool } from './parallel/pool.js';
import type { Task } from './task.js';

/** What one gradient step measured: the batch's mean loss and the task's metric summed over the batch. */
export interface StepOutcome {
  readonly loss: number;
  readonly metricSum: number;
}

/** One gradient step on the calling thread: the task's mean loss, minimised over `variables`. */
export async function stepHere(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  task: Task,
  variables: tf.Variable[],
  xs: tf.Tensor | tf.Tensor[],
  ys: tf.Tensor,
): Promise<StepOutcome> {
  let metric: tf.Scalar | undefined;
  const cost = tf.tidy(() =>
    optimizer.minimize(
      () => {
        const predictions = model.apply(xs, { training: true }) as tf.Tensor;
        // Kept past the tidy so the metric needs no second forward pass.
        const sum = task.metricSum(ys, predictions);
        metric = sum === undefined ? undefined : tf.keep(sum);
        return task.loss(ys, predictions);
      },
      true,
      variables,
    ) as tf.Scalar,
  );
  const kept = metric;
  const [lossValue, metricValue] = await Promise.all([cost.data(), kept?.data()]);
  tf.dispose([cost, ...(kept === undefined ? [] : [kept])]);
  return { loss: lossValue[0] as number, metricSum: metricValue === undefined ? 0 : (metricValue[0] as number) };
}

/** One data-parallel step: the batch split across the pool's replicas (see {@link ReplicaPool.step}). */
export async function stepOnReplicas(pool: ReplicaPool, xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor): Promise<StepOutcome> {
  const { loss, metricSum } = await pool.step(Array.isArray(xs) ? xs : [xs], ys);
  return { loss, metricSum };
}
