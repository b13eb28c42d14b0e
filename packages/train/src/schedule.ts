import type * as tf from '@tensorflow/tfjs';
import { GraftError, addedLayers } from '@graft/core';
import type { TrainableSpec } from './types.js';

/** The layers and variables one epoch trains. */
export interface TrainableSet {
  /** Names of the layers that have weights to train, in model order. */
  readonly layers: readonly string[];
  /** Their variables, in the order the optimizer sees them (see {@link planTraining}). */
  readonly variables: readonly tf.Variable[];
  /** The weights' names as saved in model.json (`layer/kernel`), in the same order; stable across processes. */
  readonly weightNames: readonly string[];
}

/** Which set trains in each epoch. */
export interface TrainingPlan {
  /** The set of epoch `epoch` (1 for the first). */
  at(epoch: number): TrainableSet;
}

/**
 * Resolves `trainable` / `unfreezeAfter` against `model` once, up front, so a bad name fails before any step.
 *
 * tfjs optimizers keep their state (Adam's moments) by POSITION in the variable list, not by name. So after
 * unfreezing we list the variables that were already training first, in the same order, and append the rest:
 * each variable keeps its own moments across the switch, and a resumed run rebuilds the same order.
 *
 * The caller's layers are never mutated; a layer whose own `trainable` flag is false contributes no variables.
 *
 * @throws GraftError `INVALID_ARGUMENT` when `'new'` is asked of a model graft never grew, or a set has no
 * trainable weights; `UNKNOWN_LAYER` for a name the model does not have.
 */
export function planTraining(model: tf.LayersModel, trainable: TrainableSpec, unfreezeAfter?: number): TrainingPlan {
  const all = model.layers.map((layer) => layer.name);
  const selected = selectLayers(model, trainable, all);
  const first = trainableSet(model, all.filter((name) => selected.has(name)), []);
  if (first.variables.length === 0) {
    throw new GraftError('INVALID_ARGUMENT', `The layers chosen by trainable (${describe(trainable)}) have no trainable weights.`);
  }
  if (selected.size === all.length || unfreezeAfter === undefined) return { at: () => first };
  const everything = trainableSet(model, all, first.variables);
  return { at: (epoch) => (epoch <= unfreezeAfter ? first : everything) };
}

function selectLayers(model: tf.LayersModel, trainable: TrainableSpec, all: readonly string[]): Set<string> {
  if (trainable === 'all') return new Set(all);
  const names = trainable === 'new' ? addedLayers(model) : [...trainable];
  if (trainable === 'new' && names.length === 0) {
    throw new GraftError(
      'INVALID_ARGUMENT',
      `trainable: 'new' needs a model grown by graft, but model "${model.name}" records no added layers (userDefinedMetadata.graft.added is empty).`,
    );
  }
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    throw new GraftError('UNKNOWN_LAYER', `No layer named ${unknown.map((n) => `"${n}"`).join(', ')} in model "${model.name}". Expected some of: ${all.join(', ')}.`);
  }
  return new Set(names);
}

function trainableSet(model: tf.LayersModel, layerNames: readonly string[], before: readonly tf.Variable[]): TrainableSet {
  const variables = [...before];
  for (const name of layerNames) {
    for (const weight of model.getLayer(name).trainableWeights) {
      // LayerVariable.read() hands out the underlying tf.Variable itself, which the optimizer updates in place.
      const variable = weight.read() as tf.Variable;
      if (!variables.includes(variable)) variables.push(variable);
    }
  }
  // Report every layer in the set, in model order, even when its variables were listed first by `before`.
  const owners = model.layers.filter((layer) => layer.trainableWeights.some((w) => variables.includes(w.read() as tf.Variable)));
  const names = new Map(model.weights.map((w) => [w.read() as tf.Variable, w.originalName]));
  return { layers: owners.map((layer) => layer.name), variables, weightNames: variables.map((v) => names.get(v) ?? v.name) };
}

function describe(trainable: TrainableSpec): string {
  return typeof trainable === 'string' ? `'${trainable}'` : `[${trainable.join(', ')}]`;
}
