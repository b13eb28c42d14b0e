import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import type { OptimizerSpec } from './types.js';

/** A tensor with a name, as `tf.Optimizer.getWeights` returns (tfjs does not export this type). */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** An optimizer and whether {@link train} made it (and so must dispose it). */
export interface OwnedOptimizer {
  readonly optimizer: tf.Optimizer;
  readonly owned: boolean;
}

/**
 * Makes the optimizer named by `spec`, or takes the given instance.
 *
 * @throws GraftError `INVALID_ARGUMENT` for an unknown name.
 */
export function makeOptimizer(spec: OptimizerSpec, learningRate: number): OwnedOptimizer {
  if (typeof spec !== 'string') return { optimizer: spec, owned: false };
  if (spec === 'adam') return { optimizer: tf.train.adam(learningRate), owned: true };
  if (spec === 'sgd') return { optimizer: tf.train.sgd(learningRate), owned: true };
  if (spec === 'rmsprop') return { optimizer: tf.train.rmsprop(learningRate), owned: true };
  throw new GraftError('INVALID_ARGUMENT', `Unknown optimizer "${String(spec)}". Expected adam, sgd, rmsprop or a tf.Optimizer.`);
}

// Adam and Adamax keep beta1^t and beta2^t in variables updated by repeated multiplication; tfjs's setWeights
// recomputes them with pow(), which differs in the last bits. We save and restore them as they are so a resumed
// run is bit-identical to an uninterrupted one.
const POWER_FIELDS = ['accBeta1', 'accBeta2'] as const;

/** Everything an optimizer needs to continue exactly: its named weights (iterations first) and hidden powers. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const weights = await optimizer.getWeights();
  const hidden = optimizer as unknown as Record<string, unknown>;
  for (const field of POWER_FIELDS) {
    const value = hidden[field];
    if (value instanceof tf.Tensor) weights.push({ name: `graft:${field}`, tensor: value as tf.Tensor });
  }
  return weights;
}

/**
 * Restores what {@link optimizerState} saved into a fresh optimizer of the same kind.
 *
 * @throws GraftError `CHECKPOINT_INVALID` when the saved state does not fit this optimizer.
 */
export async function restoreOptimizerState(optimizer: tf.Optimizer, state: NamedTensor[], source: string): Promise<void> {
  const hidden = optimizer as unknown as Record<string, unknown>;
  const weights = state.filter((w) => !w.name.startsWith('graft:'));
  try {
    await optimizer.setWeights(weights);
    for (const field of POWER_FIELDS) {
      const saved = state.find((w) => w.name === `graft:${field}`);
      const target = hidden[field];
      if (saved === undefined) continue;
      if (!(target instanceof tf.Variable)) throw new Error(`this optimizer has no ${field}`);
      target.assign(saved.tensor);
    }
  } catch (cause) {
    throw new GraftError('CHECKPOINT_INVALID', `${source}: the optimizer state does not fit a ${optimizer.getClassName()} optimizer (${(cause as Error).message}).`, { cause });
  }
}
