import { consumersOf } from '../graph/queries.js';
import type { LayerNode, ModelGraph } from '../graph/types.js';

/** Layers whose output has their inputs' shape and axes (elementwise maps, merges, normalisation, dropout). */
const SAME_AXES = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Rescaling', 'Dropout', 'GaussianDropout',
  'GaussianNoise', 'AlphaDropout', 'SpatialDropout1D', 'Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'InputLayer',
]);

const nodeNamed = (graph: ModelGraph, name: string): LayerNode | undefined => graph.nodes.find((n) => n.name === name);

function reachesDotUpstream(graph: ModelGraph, name: string, seen: Set<string>): boolean {
  const node = nodeNamed(graph, name);
  if (node === undefined || seen.has(name)) return false;
  seen.add(name);
  if (node.className === 'Dot') return true;
  return SAME_AXES.has(node.className) && node.inbound.some((call) => call.some((ref) => reachesDotUpstream(graph, ref.layer, seen)));
}

function reachesDotDownstream(graph: ModelGraph, name: string, seen: Set<string>): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  return consumersOf(graph, name).some(({ layer }) => {
    const reader = nodeNamed(graph, layer);
    if (reader === undefined) return false;
    return reader.className === 'Dot' || (SAME_AXES.has(reader.className) && reachesDotDownstream(graph, layer, seen));
  });
}

/**
 * True when the last axis of `name`'s rank-3 output indexes positions rather than features: a square
 * `[batch, T, T]` tensor on an attention path (scores from a Dot, their scaled, masked and softmaxed forms, and the
 * additive mask that joins them). A layer acting on the last axis there would mix positions: exact at insertion,
 * but a trained one would let a position see the future.
 */
export function positionsLast(graph: ModelGraph, name: string): boolean {
  const node = nodeNamed(graph, name);
  const shape = node?.outputShapes?.[0]?.[0];
  if (shape?.length !== 3 || shape[1] === null || shape[1] !== shape[2]) return false;
  return reachesDotUpstream(graph, name, new Set()) || reachesDotDownstream(graph, name, new Set());
}

/** Layers after a Conv1D that keep its output a sequence of per-step channels. */
const STEPWISE = new Set([...SAME_AXES, 'BatchNormalization', 'LayerNormalization', 'MaxPooling1D', 'AveragePooling1D', 'ZeroPadding1D', 'Cropping1D']);

/**
 * True when `name`'s rank-3 output is a convolved sequence: a Conv1D's output, or one reached from a Conv1D only
 * through per-step layers (activations, normalisation, pooling, merges). Only there may a strategy insert another
 * Conv1D: elsewhere (after an RNN, in a GPT) a convolution over steps would add a mixing of neighbouring positions,
 * future ones included, that the model does not have.
 */
export function convolvedSequence(graph: ModelGraph, name: string, seen: Set<string> = new Set()): boolean {
  const node = nodeNamed(graph, name);
  if (node === undefined || seen.has(name)) return false;
  seen.add(name);
  if (node.className === 'Conv1D') return true;
  if (!STEPWISE.has(node.className) || node.className === 'InputLayer') return false;
  const inputs = node.inbound.flat();
  return inputs.length > 0 && inputs.every((ref) => convolvedSequence(graph, ref.layer, seen));
}

/** Layers that hand their input's padding mask on to their output. */
const MASK_PASSING = new Set([...SAME_AXES, 'Dense', 'LayerNormalization', 'BatchNormalization', 'TimeDistributed']);
const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional', 'ConvLSTM2D']);

/**
 * True when `name`'s output carries a padding mask: an Embedding with `mask_zero`, a Masking layer, or a layer
 * that passes such a mask on (per-token Dense, activations, sequence-returning RNNs, …). A merge inserted there
 * (a residual Add) would have to combine the mask with an unmasked branch, which tfjs cannot.
 */
export function carriesMask(graph: ModelGraph, name: string, seen: Set<string> = new Set()): boolean {
  const node = nodeNamed(graph, name);
  if (node === undefined || seen.has(name)) return false;
  seen.add(name);
  if (node.className === 'Masking' || (node.className === 'Embedding' && node.config['mask_zero'] === true)) return true;
  const passes = MASK_PASSING.has(node.className) || (RECURRENT.has(node.className) && node.config['return_sequences'] === true);
  return passes && node.inbound.some((call) => call.some((ref) => carriesMask(graph, ref.layer, seen)));
}
