import { uniqueLayerName } from '../graph/queries.js';
import type { ModelGraph, TensorRef } from '../graph/types.js';
import { weightValue, type NewLayer } from '../surgery/surgery.js';

/** A layer's input: a layer name (its first call's first output) or an explicit tensor. */
export type LayerInput = string | TensorRef;

/** A Keras-style initializer as `model.json` records it, e.g. `{ class_name: 'Zeros', config: {} }`. */
export interface InitializerConfig {
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Initializers recorded in a new layer's config; they say how the weights were chosen (the weights are given). */
export const initializers = Object.freeze({
  zeros: (): InitializerConfig => ({ class_name: 'Zeros', config: {} }),
  ones: (): InitializerConfig => ({ class_name: 'Ones', config: {} }),
  constant: (value: number): InitializerConfig => ({ class_name: 'Constant', config: { value } }),
  glorotUniform: (seed: number): InitializerConfig => ({ class_name: 'GlorotUniform', config: { seed } }),
});

/** The tensor `input` names. */
export function tensorRef(input: LayerInput): TensorRef {
  return typeof input === 'string' ? { layer: input, node: 0, tensor: 0 } : input;
}

/** Config keys every weighted layer graft adds carries, so `model.json` reads like one Keras wrote. */
const NO_EXTRAS = Object.freeze({ kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, trainable: true, dtype: 'float32' });

/** The weights and how they are described, shared by {@link dense} and {@link conv}. */
interface WeightedLayerSpec {
  readonly name: string;
  readonly input: LayerInput;
  /** Last-axis width of the input (features or channels). */
  readonly inputWidth: number;
  /** Activation name in tfjs-layers spelling. Default `linear`. */
  readonly activation?: string;
  /** Kernel values, row-major in the layer's kernel shape. */
  readonly kernel: Float32Array;
  /** Bias values, one per unit or filter. Default zeros. */
  readonly bias?: Float32Array;
  /** Initializers to record in the config (default: none recorded). */
  readonly kernelInitializer?: InitializerConfig;
  readonly biasInitializer?: InitializerConfig;
}

/** What {@link dense} builds: a Dense layer applied to the last axis of a rank-2 or rank-3 input. */
export interface DenseSpec extends WeightedLayerSpec {
  readonly units: number;
}

function recordedInitializers(spec: WeightedLayerSpec): Record<string, InitializerConfig> {
  return {
    ...(spec.kernelInitializer === undefined ? {} : { kernel_initializer: spec.kernelInitializer }),
    ...(spec.biasInitializer === undefined ? {} : { bias_initializer: spec.biasInitializer }),
  };
}

/**
 * A Dense layer with given weights: kernel `[inputWidth, units]`, bias `[units]`. Dense acts on the last axis, so
 * the same layer serves `[batch, features]` and per-token `[batch, steps, features]` sites.
 * @throws GraftError `INVALID_GRAPH` when the kernel or bias has the wrong number of values.
 */
export function dense(spec: DenseSpec): NewLayer {
  const { units } = spec;
  return {
    name: spec.name,
    className: 'Dense',
    config: { units, activation: spec.activation ?? 'linear', use_bias: true, ...recordedInitializers(spec), ...NO_EXTRAS },
    inbound: [[tensorRef(spec.input)]],
    weights: [weightValue('kernel', [spec.inputWidth, units], spec.kernel), weightValue('bias', [units], spec.bias ?? new Float32Array(units))],
  };
}

/** What {@link conv} builds: a stride-1, same-padded, channels_last convolution. */
export interface ConvSpec extends WeightedLayerSpec {
  /** Rank of the tensor convolved, batch included: 3 for Conv1D `[batch, steps, channels]`, 4 for Conv2D. */
  readonly rank: 3 | 4;
  readonly filters: number;
  /** Kernel side (odd, so "same" padding is centred). */
  readonly kernelSize: number;
}

/**
 * A Conv1D (rank 3) or Conv2D (rank 4) with given weights, stride 1, "same" padding, channels_last: kernel
 * `[k, C, F]` or `[k, k, C, F]`, bias `[F]`. Output has the input's steps (or height and width).
 * @throws GraftError `INVALID_GRAPH` when the kernel or bias has the wrong number of values.
 */
export function conv(spec: ConvSpec): NewLayer {
  const { rank, kernelSize: k, filters } = spec;
  const spatial = rank === 3 ? [k] : [k, k];
  const ones = spatial.map(() => 1);
  return {
    name: spec.name,
    className: rank === 3 ? 'Conv1D' : 'Conv2D',
    config: {
      filters,
      kernel_size: spatial,
      strides: ones,
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: rank === 3 ? 1 : ones,
      activation: spec.activation ?? 'linear',
      use_bias: true,
      ...recordedInitializers(spec),
      ...NO_EXTRAS,
    },
    inbound: [[tensorRef(spec.input)]],
    weights: [weightValue('kernel', [...spatial, spec.inputWidth, filters], spec.kernel), weightValue('bias', [filters], spec.bias ?? new Float32Array(filters))],
  };
}

/** The merge layers of tfjs-layers that combine same-shaped tensors (Concatenate joins along the last axis). */
export type MergeClass = 'Add' | 'Subtract' | 'Multiply' | 'Average' | 'Maximum' | 'Minimum' | 'Concatenate';

/** A merge layer reading `inputs` in order (a tensor may appear twice: `Add(s, s)` is `2s`). */
export function merge(className: MergeClass, name: string, inputs: readonly LayerInput[]): NewLayer {
  const config = className === 'Concatenate' ? { axis: -1, trainable: true, dtype: 'float32' } : { trainable: true, dtype: 'float32' };
  return { name, className, config, inbound: [inputs.map(tensorRef)] };
}

/**
 * A namer for the layers one strategy adds to `graph`: each call returns `base`, or `base_2`, `base_3`, … so that no
 * name clashes with the graph's layers or with a name this namer gave before.
 */
export function layerNamer(graph: ModelGraph): (base: string) => string {
  const taken: string[] = [];
  return (base) => {
    const name = uniqueLayerName(graph, base, taken);
    taken.push(name);
    return name;
  };
}
