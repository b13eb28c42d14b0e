import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import type { OptimizerRecipe } from './protocol.js';

/**
 * How to rebuild `optimizer` in another thread: its registered class and config (learning rate, betas, …).
 *
 * @throws GraftError `INVALID_ARGUMENT` for an optimizer class tfjs cannot rebuild from a config.
 */
export function optimizerRecipe(optimizer: tf.Optimizer): OptimizerRecipe {
  const className = optimizer.getClassName();
  if (registered(className) === undefined) {
    throw new GraftError('INVALID_ARGUMENT', `Optimizer ${className} is not a registered tfjs class, so training replicas cannot rebuild it; register it with tf.serialization.registerClass or train with workers: 1.`);
  }
  return { className, config: optimizer.getConfig() };
}

/** A fresh optimizer from {@link optimizerRecipe}'s output. */
export function makeOptimizerFromRecipe(recipe: OptimizerRecipe): tf.Optimizer {
  const entry = registered(recipe.className);
  if (entry === undefined) throw new GraftError('INVALID_ARGUMENT', `Optimizer ${recipe.className} is not registered in this thread.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, recipe.config) as tf.Optimizer;
}

type Entry = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, tf.serialization.FromConfigMethod<tf.serialization.Serializable>];

function registered(className: string): Entry | undefined {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, Entry | undefined>;
  return map[className];
}
