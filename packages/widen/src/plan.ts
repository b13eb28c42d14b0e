import { consumersOf, describeSite, isModelOutput } from '@graft/core';
import type { LayerNode, ModelGraph, Shape, WeightValue } from '@graft/core';

/** A layer on the widened value's path whose weights change. `spatial`: positions flattened in front of the units. */
export type PlanStep =
  | { readonly kind: 'per-unit'; readonly layer: string; readonly spatial: number; readonly normalises?: boolean }
  | { readonly kind: 'consumer'; readonly layer: string; readonly axis: number; readonly spatial: number };

/** How to widen one layer: its current width and every layer whose weights follow. */
export interface WidenPlan {
  readonly site: string;
  /** Current width n (units or filters). */
  readonly width: number;
  readonly steps: readonly PlanStep[];
  /**
   * A LayerNormalization reads the widened units: its mean and variance over them stay the same only when every unit
   * is copied equally often, so the new width must be a multiple of `width` and the replication uniform.
   */
  readonly uniform: boolean;
}

/** Activations applied to each unit on its own: replicas of a unit produce identical outputs. */
const ELEMENTWISE_ACTIVATIONS = new Set([
  'linear', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'sigmoid', 'hard_sigmoid', 'hardSigmoid', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new',
]);

/** Layers that act on each channel alone or only move values, with no channel count in their config. */
const PASS_THROUGH = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU',
  'Dropout', 'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout',
  'MaxPooling2D', 'AveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling2D', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D',
  'SpatialDropout1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling1D',
]);

/** Layers widen widens, and the ranks of their outputs it handles (Dense per token at rank 3). */
const WIDENED: Readonly<Record<string, readonly number[]>> = { Dense: [2, 3], Conv1D: [3], Conv2D: [4] };
const CONV_CONSUMERS = new Set(['Conv1D', 'Conv2D']);

const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot']);

/** Thrown inside the walk to stop at the first reason; never leaves this module. */
class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

const describe = (node: LayerNode): string => `"${node.name}" (${node.className})`;

function shapeOf(node: LayerNode): Shape {
  const shape = node.outputShapes?.length === 1 && node.outputShapes[0]?.length === 1 ? node.outputShapes[0][0] : undefined;
  return shape ?? refuse(`the output shape of ${describe(node)} is not known; rebuild the model first`);
}

function weight(node: LayerNode, name: string): WeightValue | undefined {
  return node.weights.find((w) => w.name === name);
}

function checkChannelsLast(node: LayerNode): void {
  const format = node.config['data_format'];
  if (format !== undefined && format !== null && format !== 'channels_last') {
    refuse(`${describe(node)} uses data_format ${JSON.stringify(format)}; widen follows channels_last only`);
  }
}

function checkElementwise(node: LayerNode): void {
  const activation = node.config['activation'];
  if (typeof activation === 'string' && !ELEMENTWISE_ACTIVATIONS.has(activation)) {
    refuse(`${describe(node)} applies "${activation}", which mixes units (replicas would change the result)`);
  }
}

function nodeNamed(graph: ModelGraph, name: string): LayerNode {
  return graph.nodes.find((n) => n.name === name) ?? refuse(`no layer named "${name}"`);
}

function checkSite(graph: ModelGraph, node: LayerNode): number {
  const ranks = WIDENED[node.className] ?? refuse(`it is a ${node.className}; widen widens Dense, Conv1D and Conv2D layers`);
  if (isModelOutput(graph, node.name)) refuse('it is a model output, and widening it would change the output shape');
  const site = describeSite(graph, node.name, { strategy: 'widen', ranks, inputs: false });
  if (!site.ok) refuse(site.reason);
  checkElementwise(node);
  const kernel = weight(node, 'kernel');
  const bias = weight(node, 'bias');
  const width = kernel?.shape[kernel.shape.length - 1];
  if (kernel === undefined || width === undefined || kernel.dtype !== 'float32' || (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== width))) {
    refuse('its weights are not a float32 kernel with an optional bias per unit');
  }
  if (node.weights.length !== (bias === undefined ? 1 : 2)) refuse('it has weights other than a kernel and a bias');
  return width!;
}

/** Follows the widened value from `producer` to the layers that mix units, recording every layer to change. */
function walk(graph: ModelGraph, producer: LayerNode, size: number, spatial: number, steps: PlanStep[]): void {
  const consumers = consumersOf(graph, producer.name);
  if (consumers.length === 0) refuse(`nothing reads ${describe(producer)}`);
  const inputShape = shapeOf(producer);
  for (const { layer } of consumers) {
    const node = nodeNamed(graph, layer);
    if (node.inbound.length !== 1) refuse(`${describe(node)} reads it and is called more than once (a shared layer)`);
    if (MERGES.has(node.className) || node.inbound[0]!.length !== 1) {
      refuse(`${describe(node)} merges it with other tensors, whose width would no longer match`);
    }
    checkChannelsLast(node);
    if (node.className === 'Dense' || CONV_CONSUMERS.has(node.className)) {
      // The kernel's input rows: Dense [n, k]; Conv1D [k, n, f]; Conv2D [k, k, n, f].
      const axis = node.className === 'Dense' ? 0 : node.className === 'Conv1D' ? 1 : 2;
      // A Dense acts on the last axis: per token at rank 3 (nothing flattened in front of the units), flat at rank 2.
      const perToken = inputShape.length === 3 && spatial === 1;
      if (node.className === 'Dense' && inputShape.length !== 2 && !perToken) refuse(`${describe(node)} reads a rank-${inputShape.length} tensor; widen rescales Dense consumers of flat inputs or per-token sequences only`);
      if (weight(node, 'kernel')?.shape[axis] !== size) refuse(`the kernel of ${describe(node)} does not have ${size} input rows`);
      steps.push({ kind: 'consumer', layer: node.name, axis, spatial });
      continue;
    }
    if (isModelOutput(graph, node.name)) refuse(`${describe(node)} passes the widened values to a model output, whose shape would change`);
    if (node.className === 'BatchNormalization') {
      const axis = node.config['axis'];
      if (axis !== -1 && axis !== inputShape.length - 1) refuse(`${describe(node)} normalises axis ${JSON.stringify(axis)}; widen follows the last axis only`);
      if (node.weights.some((w) => w.shape.length !== 1 || w.shape[0] !== size)) refuse(`the weights of ${describe(node)} are not one value per unit`);
      steps.push({ kind: 'per-unit', layer: node.name, spatial });
      walk(graph, node, size, spatial, steps);
    } else if (node.className === 'LayerNormalization') {
      const axis = node.config['axis'];
      const last = Array.isArray(axis) ? axis.length === 1 && (axis[0] === -1 || axis[0] === inputShape.length - 1) : axis === -1 || axis === inputShape.length - 1;
      if (!last || spatial !== 1) refuse(`${describe(node)} normalises axis ${JSON.stringify(axis)}; widen follows a LayerNormalization over the widened units only`);
      if (node.weights.some((w) => w.shape.length !== 1 || w.shape[0] !== size)) refuse(`the weights of ${describe(node)} are not one value per unit`);
      steps.push({ kind: 'per-unit', layer: node.name, spatial, normalises: true });
      walk(graph, node, size, spatial, steps);
    } else if (node.className === 'Flatten') {
      const positions = inputShape.slice(1, -1).reduce<number>((a, b) => a * (b ?? Number.NaN), 1);
      if (!Number.isSafeInteger(positions)) refuse(`${describe(node)} flattens a tensor of unknown size`);
      walk(graph, node, size * positions, spatial * positions, steps);
    } else if (PASS_THROUGH.has(node.className)) {
      if (node.weights.length > 0) refuse(`${describe(node)} has weights of its own`);
      checkElementwise(node);
      walk(graph, node, size, spatial, steps);
    } else {
      refuse(`${describe(node)} reads it, and widen only follows per-unit layers (BatchNormalization, LayerNormalization, activations, dropout, pooling, padding, Flatten) to Dense, Conv1D or Conv2D consumers`);
    }
  }
}

/** The plan for widening `name`, or why widen does not apply there. */
export function planWidening(graph: ModelGraph, name: string): { plan: WidenPlan } | { reason: string } {
  try {
    const node = nodeNamed(graph, name);
    const width = checkSite(graph, node);
    const steps: PlanStep[] = [];
    walk(graph, node, width, 1, steps);
    return { plan: { site: name, width, steps, uniform: steps.some((step) => step.kind === 'per-unit' && step.normalises === true) } };
  } catch (error) {
    if (error instanceof Refusal) return { reason: error.reason };
    throw error;
  }
}
