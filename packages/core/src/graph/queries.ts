import { integerPathOf } from '../kit/integer-path.js';
import { GraftError } from '../errors.js';
import type { LayerNode, ModelGraph, Shape } from './types.js';

/**
 * The layer named `name`.
 * @throws GraftError `UNKNOWN_LAYER`, listing the layers that exist.
 */
export function getLayer(graph: ModelGraph, name: string): LayerNode {
  const node = graph.nodes.find((n) => n.name === name);
  if (node === undefined) {
    const names = graph.nodes.map((n) => n.name);
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
    throw new GraftError('UNKNOWN_LAYER', `No layer named "${name}" in model "${graph.name}". Expected one of: ${shown}.`);
  }
  return node;
}

/**
 * Output shape of the layer's single call (batch dimension first, usually `null`).
 * @throws GraftError `UNKNOWN_LAYER`; `INVALID_GRAPH` when the layer is called more than once, has several outputs,
 * or its shape is not known yet.
 */
export function outputShapeOf(graph: ModelGraph, name: string): Shape {
  const node = getLayer(graph, name);
  const calls = node.outputShapes;
  if (calls === undefined) throw new GraftError('INVALID_GRAPH', `The output shape of layer "${name}" is not known yet; rebuild the model first.`);
  if (calls.length !== 1 || calls[0]?.length !== 1) {
    throw new GraftError('INVALID_GRAPH', `Layer "${name}" has ${calls.length} call(s) and ${calls[0]?.length ?? 0} output(s); expected exactly one of each.`);
  }
  return calls[0][0]!;
}

/** True when the layer is called exactly once and has exactly one output: the only kind of site surgery rewires. */
export function isSingleOutputSite(graph: ModelGraph, name: string): boolean {
  const node = graph.nodes.find((n) => n.name === name);
  return node !== undefined && node.outputShapes?.length === 1 && node.outputShapes[0]?.length === 1;
}

/** A place where a layer's output is consumed. */
export interface Consumer {
  /** The consuming layer. */
  readonly layer: string;
  /** Which call of the consuming layer. */
  readonly call: number;
  /** Position among that call's inputs. */
  readonly position: number;
}

/** Every place that reads any output of `name` (model outputs excluded; see {@link isModelOutput}). */
export function consumersOf(graph: ModelGraph, name: string): Consumer[] {
  const found: Consumer[] = [];
  for (const node of graph.nodes) {
    node.inbound.forEach((call, c) => call.forEach((ref, p) => ref.layer === name && found.push({ layer: node.name, call: c, position: p })));
  }
  return found;
}

/** True when an output of `name` is an output of the model. */
export function isModelOutput(graph: ModelGraph, name: string): boolean {
  return graph.outputs.some((ref) => ref.layer === name);
}

/** `base` if no layer has that name, else `base_2`, `base_3`, … */
export function uniqueLayerName(graph: ModelGraph, base: string, taken: Iterable<string> = []): string {
  const used = new Set([...graph.nodes.map((n) => n.name), ...taken]);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

const ACTIVATION_LAYERS: Readonly<Record<string, string>> = { ReLU: 'relu', Softmax: 'softmax' };

/** The activation a layer applies last (`relu`, `tanh`, …), or `undefined` when it has none of its own. */
export function activationOf(node: LayerNode): string | undefined {
  const fromClass = ACTIVATION_LAYERS[node.className];
  if (fromClass !== undefined) return fromClass;
  const activation = node.config['activation'];
  return typeof activation === 'string' ? activation : undefined;
}

/** Activations whose outputs are never negative. */
const NON_NEGATIVE_ACTIVATIONS = new Set(['relu', 'relu6', 'sigmoid', 'hard_sigmoid', 'hardSigmoid', 'softmax', 'softplus', 'exponential']);

/** Layers that only move, drop, pool or pad values (with zeros): non-negative in, non-negative out. */
const ORDER_PRESERVING = new Set([
  'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianDropout', 'AlphaDropout',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
  'Cropping2D', 'ZeroPadding2D', 'UpSampling2D', 'Concatenate', 'Add', 'Multiply', 'Average', 'Maximum', 'Minimum',
]);

/**
 * True when every value the layer outputs is provably ≥ 0 for any input: its last activation is non-negative
 * (relu, relu6, sigmoid, softmax, …), or it only rearranges, pools or combines non-negative values.
 * Used to decide when a ReLU applied after the layer changes nothing.
 */
export function isNonNegativeOutput(graph: ModelGraph, name: string, seen: ReadonlySet<string> = new Set()): boolean {
  const node = graph.nodes.find((n) => n.name === name);
  if (node === undefined || seen.has(name)) return false;
  if (node.className === 'ReLU') return true;
  const activation = activationOf(node);
  if (activation !== undefined && activation !== 'linear') return NON_NEGATIVE_ACTIVATIONS.has(activation);
  if (!ORDER_PRESERVING.has(node.className)) return false;
  const next = new Set([...seen, name]);
  return node.inbound.length > 0 && node.inbound.every((call) => call.length > 0 && call.every((ref) => isNonNegativeOutput(graph, ref.layer, next)));
}

/** Keras's spelling in `model.json`, and tfjs's own in case a config was written by hand. */
const CHANNELS_FIRST = new Set(['channels_first', 'channelsFirst']);

/**
 * The layer that makes `name`'s output channels_first, or `undefined` when it is channels_last. The layout is that
 * of the nearest layers upstream (`name` included) that declare a `data_format`: layers without one (Add,
 * Activation, Dropout, …) keep their inputs' layout, so the walk goes through them, on every call and input, and
 * stops at a layer that declares one. Model inputs are channels_last (tfjs's default); an unknown `name` gives
 * `undefined`. Strategies use it (through `describeSite`) to refuse a site and name the layer responsible.
 */
export function channelsFirstAncestor(graph: ModelGraph, name: string): string | undefined {
  const pending = [name];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const node = graph.nodes.find((n) => n.name === current);
    if (node === undefined) continue;
    const format = node.config['data_format'];
    if (typeof format === 'string') {
      if (CHANNELS_FIRST.has(format)) return current;
      continue;
    }
    for (const call of node.inbound) for (const ref of call) pending.push(ref.layer);
  }
  return undefined;
}

/**
 * True when the output of `name` carries integer indices rather than values: a non-float input (or a reshape of
 * one), or a tensor some layer reads as indices (an Embedding's or CategoryEncoding's input, also through reshapes;
 * a Sequential model's token input is `float32` but feeds its Embedding). No layer inserted there can be exact and
 * learn: indices are cast, not differentiated. The strategy kit's `integerPathOf` says why.
 */
export function carriesIndices(graph: ModelGraph, name: string): boolean {
  return integerPathOf(graph, name) !== undefined;
}
