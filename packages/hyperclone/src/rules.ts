import type { LayerNode, ModelGraph, Shape } from '@graft/core';
import { concatenated, flattened, ORIGINAL, sameLayout, type Layout } from './layout.js';
import type { WeightRecipe } from './gather.js';

/** What one layer becomes: its output layout, and, when it changes, its new config and how to make its weights. */
export interface LayerRule {
  readonly output: Layout;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly weights?: readonly WeightRecipe[];
  /** For a Dot of two cloned tensors: the layer that makes its first input, whose output must be scaled by 1/factor. */
  readonly scaleProducer?: string;
}

/** The facts a rule needs about one layer: its node, its inputs' layouts and shapes, whether it must stay original. */
export interface RuleContext {
  readonly graph: ModelGraph;
  readonly node: LayerNode;
  readonly inputs: readonly Layout[];
  readonly inputShapes: readonly Shape[];
  /** The output must keep the source's features (a model output, or what one is computed from feature-wise). */
  readonly keepOriginal: boolean;
  readonly factor: number;
  /** The layout a mixing layer of `width` output features writes: `tiled(width, factor)`. */
  readonly widen: (width: number) => Layout;
}

/** A refusal's reason. */
export interface RuleRefusal {
  readonly reason: string;
}

/** Layers that change nothing about the features of their single input: the output has the input's layout. */
const FEATURE_WISE = new Set([
  'Activation', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Rescaling',
  'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
  'ZeroPadding1D', 'ZeroPadding2D', 'Cropping1D', 'Cropping2D', 'UpSampling1D', 'UpSampling2D',
]);

/** Merges of same-shaped tensors, feature by feature. */
const ELEMENTWISE_MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/** Layers that mix features with a kernel: they may read cloned features and write original or cloned ones. */
export const MIXING = new Set(['Dense', 'Conv1D', 'Conv2D', 'Embedding']);

const isCloned = (layout: Layout): layout is Extract<Layout, { kind: 'cloned' }> => layout.kind === 'cloned';
const refuse = (node: LayerNode, why: string): RuleRefusal => ({ reason: `layer "${node.name}" (${node.className}) ${why}` });

/** Whether a layer's own output must stay original whatever its consumers do: a softmax over its features. */
export function mustStayOriginal(node: LayerNode): boolean {
  if (node.className === 'Softmax') return true;
  return node.config['activation'] === 'softmax';
}

function lastAxisOnly(node: LayerNode, rank: number): boolean {
  const axis = node.config['axis'];
  const axes = Array.isArray(axis) ? axis : [axis ?? -1];
  return axes.length === 1 && (axes[0] === -1 || axes[0] === rank - 1);
}

function mixingRule(context: RuleContext): LayerRule | RuleRefusal {
  const { node, inputs, keepOriginal, widen } = context;
  const input = inputs[0]!;
  if (node.config['data_format'] === 'channels_first') return refuse(node, 'is channels_first; hyperclone clones the last axis');
  const sizeKey = node.className === 'Dense' ? 'units' : node.className === 'Embedding' ? 'output_dim' : 'filters';
  const width = node.config[sizeKey] as number;
  const output = keepOriginal ? ORIGINAL : widen(width);
  if (!isCloned(input) && !isCloned(output)) return { output };
  if (node.className === 'Embedding') {
    if (isCloned(input) || !isCloned(output)) return refuse(node, 'reads cloned values as token ids');
    return { output, config: { ...node.config, output_dim: output.source.length }, weights: [{ name: 'embeddings', columns: output, scale: 1 }] };
  }
  const weights: WeightRecipe[] = node.weights.map((w) => (w.name === 'kernel' ? { name: 'kernel', rows: input, columns: output, scale: 1 } : { name: w.name, columns: output, scale: 1 }));
  return { output, config: isCloned(output) ? { ...node.config, [sizeKey]: output.source.length } : node.config, weights };
}

function normalizationRule(context: RuleContext): LayerRule | RuleRefusal {
  const { node, inputs, inputShapes } = context;
  const input = inputs[0]!;
  if (!isCloned(input)) return { output: ORIGINAL };
  if (!lastAxisOnly(node, inputShapes[0]!.length)) return refuse(node, 'normalises over more than the last axis; only last-axis statistics are unchanged by cloning');
  // Mean and variance of [x, x] are those of x (epsilon kept): gains, offsets and moving statistics are gathered.
  return { output: input, weights: node.weights.map((w) => ({ name: w.name, columns: input, scale: 1 })) };
}

function dotRule(context: RuleContext): LayerRule | RuleRefusal {
  const { graph, node, inputs, inputShapes, factor } = context;
  const [a, b] = inputs as [Layout, Layout];
  if (!isCloned(a) && !isCloned(b)) return { output: ORIGINAL };
  if (node.config['normalize'] === true) return refuse(node, 'normalises its inputs (cosine), which hyperclone has no exact rule for');
  const ranks = inputShapes.map((s) => s.length);
  const raw = node.config['axes'];
  const axes = (Array.isArray(raw) ? raw : [raw, raw]).map((axis, i) => ((axis as number) < 0 ? (axis as number) + ranks[i]! : (axis as number)));
  const [ra, rb] = ranks as [number, number];
  if (ra === 3 && rb === 3 && axes[0] === 2 && axes[1] === 2) {
    if (!isCloned(a) || !isCloned(b) || !sameLayout(a, b)) return refuse(node, 'contracts features cloned differently on its two inputs');
    // q'·k' sums each product `factor` times; scaling the query's producer by 1/factor keeps the scores equal.
    const producer = node.inbound[0]![0]!.layer;
    const readers = graph.nodes.filter((n) => n.inbound.some((call) => call.some((ref) => ref.layer === producer)));
    const query = graph.nodes.find((n) => n.name === producer);
    if (query === undefined || !['Dense', 'Conv1D'].includes(query.className) || readers.length !== 1) return refuse(node, `contracts two cloned tensors, and its first input "${producer}" is not a Dense read by it alone, which could take the 1/${factor} query scale`);
    return { output: ORIGINAL, scaleProducer: producer };
  }
  if (ra === 3 && rb === 3 && axes[0] === 2 && axes[1] === 1 && !isCloned(a)) return { output: b };
  return refuse(node, `has axes [${axes.join(', ')}] on cloned inputs; hyperclone's exact rules are axes [2, 2] (scores) and [2, 1] (attention-weighted values)`);
}

function concatenateRule(context: RuleContext): LayerRule | RuleRefusal {
  const { node, inputs, inputShapes } = context;
  const rank = inputShapes[0]!.length;
  const cloned = inputs.filter(isCloned);
  if (cloned.length === 0) return { output: ORIGINAL };
  if (cloned.length !== inputs.length) return refuse(node, 'joins cloned and original tensors');
  if (!lastAxisOnly(node, rank)) {
    return inputs.every((layout) => sameLayout(layout, inputs[0]!)) ? { output: inputs[0]! } : refuse(node, 'joins tensors cloned differently along another axis');
  }
  return { output: concatenated(cloned, inputShapes.map((s) => s[s.length - 1] as number)) };
}

/** How the layer `context.node` is widened, or why hyperclone has no exact rule for it. */
export function ruleFor(context: RuleContext): LayerRule | RuleRefusal {
  const { node, inputs, inputShapes } = context;
  const anyCloned = inputs.some(isCloned);
  if (node.className === 'InputLayer') return { output: ORIGINAL };
  if (MIXING.has(node.className)) return mixingRule(context);
  if (node.className === 'LayerNormalization' || node.className === 'BatchNormalization') return normalizationRule(context);
  if (node.className === 'Dot') return dotRule(context);
  if (node.className === 'Concatenate') return concatenateRule(context);
  if (!anyCloned) return { output: ORIGINAL };
  if (FEATURE_WISE.has(node.className)) {
    if (node.className === 'Rescaling' && (Array.isArray(node.config['scale']) || Array.isArray(node.config['offset']))) return refuse(node, 'scales features one by one');
    if (node.config['data_format'] === 'channels_first') return refuse(node, 'is channels_first; hyperclone clones the last axis');
    return { output: inputs[0]! };
  }
  if (node.className === 'Softmax') return refuse(node, 'takes a softmax over cloned features, which is not their clone');
  if (ELEMENTWISE_MERGES.has(node.className)) {
    return inputs.every((layout) => sameLayout(layout, inputs[0]!)) ? { output: inputs[0]! } : refuse(node, 'combines tensors whose features are cloned differently (or not at all)');
  }
  if (node.className === 'Flatten') {
    const shape = inputShapes[0]!;
    const positions = shape.slice(1, -1).reduce<number>((p, d) => p * (d ?? Number.NaN), 1);
    const input = inputs[0] as Extract<Layout, { kind: 'cloned' }>;
    if (!Number.isFinite(positions)) return refuse(node, 'flattens a shape that is not fully known');
    return { output: flattened(input, positions, shape[shape.length - 1] as number) };
  }
  return refuse(node, 'reads cloned features, and hyperclone has no exact rule for this class');
}
