import {
  plannedStrategy,
  insertAfter,
  outputShapeOf,
  seededRandom,
  uniqueLayerName,
  weightValue,
  type ModelGraph,
  type NewLayer,
  type Site,
  type SurgeryStrategy,
} from '@graft/core';
import { DEFAULT_OPTIONS, resolveOptions, type ResidualOptions, type ResolvedResidualOptions } from './options.js';
import { explainSite } from './sites.js';

/** Flattened features can be tens of thousands wide; a square first layer there would hold billions of weights. */
export const MAX_DEFAULT_HIDDEN = 256;

/**
 * A small positive bias keeps the branch's hidden output non-zero even where `x` is zero (dead units, padding) and,
 * with the mirrored kernel, for every input: so the zero-initialised last layer always receives gradient at step 1.
 */
const FIRST_BIAS = 0.01;

const ref = (layer: string) => ({ layer, node: 0, tensor: 0 });
const NO_EXTRAS = { kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, trainable: true, dtype: 'float32' };

/**
 * Seeded Glorot-uniform values for a `[rows, units]` kernel (row-major; a conv kernel's `[k, k, C]` flattened into
 * rows), in mirrored pairs: unit `j + units/2` starts with minus unit `j`'s weights ("looks-linear" initialisation).
 * With the positive bias, one unit of every pair is active for every input at any scale — `w·x ≤ 0` means
 * `-w·x + b > 0` — so a relu branch can never start (or be pushed by the trunk's first step into) all-dead.
 */
function mirroredGlorot(rows: number, units: number, fanIn: number, fanOut: number, seed: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const random = seededRandom(seed);
  const half = Math.floor(units / 2);
  const values = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < half; j++) {
      const value = (2 * random() - 1) * limit;
      values[r * units + j] = value;
      values[r * units + j + half] = -value;
    }
    if (units % 2 === 1) values[r * units + units - 1] = (2 * random() - 1) * limit;
  }
  return values;
}

interface BranchShape {
  readonly rank: 2 | 4;
  /** Units or channels of `x`. */
  readonly width: number;
  readonly hidden: number;
}

function firstLayer(name: string, after: string, shape: BranchShape, options: ResolvedResidualOptions): NewLayer {
  const { width, hidden } = shape;
  const bias = weightValue('bias', [hidden], new Float32Array(hidden).fill(FIRST_BIAS));
  const initializers = { kernel_initializer: { class_name: 'GlorotUniform', config: { seed: options.seed } }, bias_initializer: { class_name: 'Constant', config: { value: FIRST_BIAS } } };
  if (shape.rank === 2) {
    const kernel = weightValue('kernel', [width, hidden], mirroredGlorot(width, hidden, width, hidden, options.seed));
    return { name, className: 'Dense', config: { units: hidden, activation: options.activation, use_bias: true, ...initializers, ...NO_EXTRAS }, inbound: [[ref(after)]], weights: [kernel, bias] };
  }
  const k = options.kernelSize;
  const kernel = weightValue('kernel', [k, k, width, hidden], mirroredGlorot(k * k * width, hidden, k * k * width, k * k * hidden, options.seed));
  return { name, className: 'Conv2D', config: { ...convConfig(hidden, k, options.activation), ...initializers, ...NO_EXTRAS }, inbound: [[ref(after)]], weights: [kernel, bias] };
}

function convConfig(filters: number, k: number, activation: string): Record<string, unknown> {
  return { filters, kernel_size: [k, k], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation, use_bias: true };
}

/** The branch's only zero factor: its output is exactly 0 at insertion, and it is the layer that learns first. */
function zeroLayer(name: string, input: string, shape: BranchShape): NewLayer {
  const { width, hidden } = shape;
  const zeros = { kernel_initializer: { class_name: 'Zeros', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} } };
  const kernelShape = shape.rank === 2 ? [hidden, width] : [1, 1, hidden, width];
  const weights = [weightValue('kernel', kernelShape, new Float32Array(hidden * width)), weightValue('bias', [width], new Float32Array(width))];
  const config = shape.rank === 2 ? { units: width, activation: 'linear', use_bias: true } : convConfig(width, 1, 'linear');
  return { name, className: shape.rank === 2 ? 'Dense' : 'Conv2D', config: { ...config, ...zeros, ...NO_EXTRAS }, inbound: [[ref(input)]], weights };
}

/** The width of `x`, capped, and at least 2 so a one-feature site (a regression head) still gets a mirrored pair. */
function defaultHidden(width: number): number {
  return Math.max(2, Math.min(width, MAX_DEFAULT_HIDDEN));
}

function branchLayers(graph: ModelGraph, after: string, options: ResolvedResidualOptions): NewLayer[] {
  const outputShape = outputShapeOf(graph, after);
  const width = outputShape[outputShape.length - 1] as number;
  const shape: BranchShape = { rank: outputShape.length === 2 ? 2 : 4, width, hidden: options.hidden ?? defaultHidden(width) };
  const taken: string[] = [];
  const name = (base: string): string => {
    const unique = uniqueLayerName(graph, base, taken);
    taken.push(unique);
    return unique;
  };
  const first = firstLayer(name(`${after}_branch`), after, shape, options);
  const last = zeroLayer(name(`${after}_branch_out`), first.name, shape);
  const sum: NewLayer = { name: name(`${after}_residual`), className: 'Add', config: { trainable: true, dtype: 'float32' }, inbound: [[ref(after), ref(last.name)]] };
  return [first, last, sum];
}

/**
 * A zero-initialised residual branch `y = x + f(x)` after a rank-2 or rank-4 (channels_last) layer — LLaMA Pro's
 * block expansion, ReZero, ControlNet's zero convolution. `f` is Dense → Dense (rank 2) or Conv2D k×k → Conv2D 1×1
 * (rank 4); its first layer is seeded random, its last layer is zero, so `f(x) = 0` and `y = x` exactly, whatever
 * the activations. The zero layer receives gradient at the first step; the first layer from the second.
 *
 * @example
 * ```ts
 * const { model: grown } = await grow(model, residual({ hidden: 32 }), { after: 'hidden' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is invalid (a non-positive width, an even kernel size, …).
 */
export function residual(options: ResidualOptions = {}): SurgeryStrategy {
  return plannedStrategy<ResolvedResidualOptions, object>(
    {
      name: 'residual',
      description: 'Zero-initialised residual branch y = x + f(x) (Dense or Conv2D block) after a rank-2 or rank-4 layer.',
      options: (raw, base = DEFAULT_OPTIONS) => resolveOptions(base, raw as Readonly<Record<string, unknown>> | undefined),
      plan: (graph, layer) => {
        const reason = explainSite(graph, layer);
        return reason === undefined ? { ok: true } : { ok: false, reason };
      },
      build: (graph, site, _plan, resolved) => {
        const layers = branchLayers(graph, site.after, resolved);
        return { graph: insertAfter(graph, site.after, layers), added: layers.map((layer) => layer.name) };
      },
    },
    options,
  );
}
