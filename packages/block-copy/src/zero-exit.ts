import type { Branch, LayerNode, ModelGraph } from '@graft/core';

/** Activations with act(0) = 0: a zero pre-activation stays zero. */
const ZERO_PRESERVING_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'elu', 'selu', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new', 'softsign']);

/** Layers without weights that map an all-zero input to an all-zero output (moving, dropping, pooling, padding). */
const ZERO_PRESERVING_LAYERS = new Set([
  'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianDropout', 'AlphaDropout', 'GaussianNoise',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
  'Cropping1D', 'Cropping2D', 'ZeroPadding1D', 'ZeroPadding2D', 'UpSampling1D', 'UpSampling2D', 'ReLU',
]);

/** Merges whose output is zero when every input is zero. */
const ZERO_PRESERVING_MERGES = new Set(['Add', 'Concatenate', 'Average', 'Maximum', 'Minimum', 'Multiply']);

/** Layers whose every weight can be zeroed to make the output act(0): kernels and biases. */
const LINEAR_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']);

/** Normalisations whose output is `gamma · x̂ + beta`: zero when the gain and the offset are zero. */
const NORMALIZATIONS = new Set(['BatchNormalization', 'LayerNormalization']);

/** The weights to zero in a branch, by layer: every weight of a Dense or conv, the gain and offset of a norm. */
export type ZeroTargets = ReadonlyMap<string, readonly string[]>;

function activationMapsZeroToZero(node: LayerNode): boolean {
  const activation = node.config['activation'];
  return activation === undefined || activation === null || (typeof activation === 'string' && ZERO_PRESERVING_ACTIVATIONS.has(activation));
}

function zeroPreserving(node: LayerNode): boolean {
  if (node.className === 'Activation') return activationMapsZeroToZero(node);
  if (node.className === 'Rescaling') return node.config['offset'] === undefined || node.config['offset'] === 0;
  if (node.className === 'LeakyReLU' || node.className === 'ELU' || node.className === 'ThresholdedReLU') return true;
  return ZERO_PRESERVING_LAYERS.has(node.className) || ZERO_PRESERVING_MERGES.has(node.className);
}

/**
 * The last weighted layers of `branch`, seen from its exit, and which of their weights to zero so that the branch
 * outputs exactly 0 for every input: walking back from the exit through layers that map 0 to 0 (zero-preserving
 * activations, dropout, reshapes, pooling, merges of zeros), every path must end at a Dense or conv (all weights
 * zeroed, output act(0)) or a normalisation with a gain (gain and offset zeroed). Returns the reason otherwise.
 */
export function zeroTargets(graph: ModelGraph, branch: Branch): ZeroTargets | { readonly reason: string } {
  const members = new Set(branch.layers);
  const targets = new Map<string, readonly string[]>();
  const pending = [branch.exit];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    if (!members.has(name)) return { reason: `the branch's output reaches "${name}" (the stream or a model input) through layers without weights, so no weight can make it zero` };
    const node = graph.nodes.find((n) => n.name === name) as LayerNode;
    if (LINEAR_LAYERS.has(node.className)) {
      if (!activationMapsZeroToZero(node)) return { reason: `its last weighted layer "${name}" applies ${String(node.config['activation'])}, which does not map 0 to 0` };
      targets.set(name, node.weights.map((w) => w.name));
      continue;
    }
    if (NORMALIZATIONS.has(node.className)) {
      if (!node.weights.some((w) => w.name === 'gamma')) return { reason: `its last weighted layer "${name}" (${node.className}) has no gain to zero (scale: false)` };
      targets.set(name, node.weights.filter((w) => w.name === 'gamma' || w.name === 'beta').map((w) => w.name));
      continue;
    }
    if (node.weights.length > 0) return { reason: `its last weighted layer "${name}" is a ${node.className}; block-copy zeroes Dense, conv and normalisation layers` };
    if (!zeroPreserving(node)) return { reason: `"${name}" (${node.className}) after the branch's last weighted layer does not map 0 to 0` };
    for (const ref of node.inbound[0] ?? []) pending.push(ref.layer);
  }
  return targets;
}
