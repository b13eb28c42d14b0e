import {
  plannedStrategy,
  insertAfter,
  outputShapeOf,
  uniqueLayerName,
  weightValue,
  type ModelGraph,
  type NewLayer,
  type Site,
  type SurgeryStrategy,
} from '@graft/core';
import { DEFAULT_OPTIONS, resolveOptions, type ConvGateOptions, type GateKind, type ResolvedConvGateOptions } from './options.js';
import { explainSite } from './sites.js';

const ref = (layer: string) => ({ layer, node: 0, tensor: 0 });

/**
 * The gate's bias: relu and linear gates start at act(0·x + 1) = 1; tanh and sigmoid start at act(0) (0 and ½),
 * which the merge layers turn into a factor of exactly 1.
 */
const GATE_BIAS: Readonly<Record<GateKind, number>> = { relu: 1, linear: 1, tanh: 0, sigmoid: 0 };

function gateConv(name: string, channels: number, inChannels: number, options: ResolvedConvGateOptions, after: string): NewLayer {
  const k = options.kernelSize;
  const bias = GATE_BIAS[options.gate];
  const initializer = (value: number) => ({ class_name: value === 0 ? 'Zeros' : 'Ones', config: {} });
  return {
    name,
    className: 'Conv2D',
    config: {
      filters: channels,
      kernel_size: [k, k],
      strides: [1, 1],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: options.gate,
      use_bias: true,
      kernel_initializer: initializer(0),
      bias_initializer: initializer(bias),
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      trainable: true,
      dtype: 'float32',
    },
    inbound: [[ref(after)]],
    // The zero kernel is the whole trick: the gate ignores x at first, so it is a constant, and x's gradient flows
    // into the kernel through the product with x from the first step.
    weights: [
      weightValue('kernel', [k, k, inChannels, channels], new Float32Array(k * k * inChannels * channels)),
      weightValue('bias', [channels], new Float32Array(channels).fill(bias)),
    ],
  };
}

const merge = (name: string, className: 'Add' | 'Multiply', inputs: readonly string[]): NewLayer => ({
  name,
  className,
  config: { trainable: true, dtype: 'float32' },
  inbound: [inputs.map(ref)],
});

/** The layers that gate `after`, named readably and uniquely; the last one replaces `after` for its consumers. */
function gateLayers(graph: ModelGraph, after: string, options: ResolvedConvGateOptions): NewLayer[] {
  const channels = outputShapeOf(graph, after)[3] as number;
  const taken: string[] = [];
  const name = (base: string): string => {
    const unique = uniqueLayerName(graph, base, taken);
    taken.push(unique);
    return unique;
  };
  const gate = gateConv(name(`${after}_gate`), channels, channels, options, after);
  switch (options.gate) {
    case 'relu':
    case 'linear':
      return [gate, merge(name(`${after}_gated`), 'Multiply', [after, gate.name])];
    case 'tanh': {
      // y = x + x·tanh(conv(x)): 1 + tanh(·) is bounded in (0, 2) and never dies, and x + x·0 = x exactly.
      const product = merge(name(`${after}_gate_product`), 'Multiply', [after, gate.name]);
      return [gate, product, merge(name(`${after}_gated`), 'Add', [after, product.name])];
    }
    case 'sigmoid': {
      // y = x·(s + s) with s = sigmoid(conv(x)) = ½: ½ + ½ = 1 exactly, so y = x exactly (no 2x overflow risk).
      const doubled = merge(name(`${after}_gate_doubled`), 'Add', [gate.name, gate.name]);
      return [gate, doubled, merge(name(`${after}_gated`), 'Multiply', [after, doubled.name])];
    }
  }
}

/**
 * A multiplicative conv gate `y = x ⊙ g(x)` after a rank-4 (channels_last) layer, initialised so that
 * `g(x) ≡ 1` exactly: the grown model computes the same function bit for bit, and the gate's kernel receives
 * gradient from the first step. Built from standard layers (Conv2D, Multiply, Add), so plain tfjs loads the result.
 *
 * - `relu` / `linear`: `g = act(conv_k(x))` with zero kernel and bias 1.
 * - `tanh`: `y = x + x·tanh(conv_k(x))`, zero kernel and bias (gate `1 + tanh`, bounded in (0, 2)).
 * - `sigmoid`: `y = x·(s + s)`, `s = sigmoid(conv_k(x))`, zero kernel and bias (gate `2·sigmoid`, in (0, 2)).
 *
 * @example
 * ```ts
 * const { model: grown } = await grow(model, convGate({ gate: 'tanh' }), { after: 'conv' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is invalid (an even kernel size, an unknown gate, …).
 */
export function convGate(options: ConvGateOptions = {}): SurgeryStrategy {
  return plannedStrategy<ResolvedConvGateOptions, object>(
    {
      name: 'conv-gate',
      description: 'Multiplicative conv gate y = x ⊙ g(x) after a rank-4 layer, initialised so g(x) = 1 exactly.',
      options: (raw, base = DEFAULT_OPTIONS) => resolveOptions(base, raw as Readonly<Record<string, unknown>> | undefined),
      plan: (graph, layer) => {
        const reason = explainSite(graph, layer);
        return reason === undefined ? { ok: true } : { ok: false, reason };
      },
      build: (graph, site, _plan, resolved) => {
        const layers = gateLayers(graph, site.after, resolved);
        return { graph: insertAfter(graph, site.after, layers), added: layers.map((layer) => layer.name) };
      },
    },
    options,
  );
}
