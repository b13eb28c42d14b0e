import { conv, convolvedSequence, describeSite, initializers, insertAfter, layerNamer, merge, plannedStrategy, refuse, type ApplyResult, type ModelGraph, type NewLayer, type Site, type SiteDescription, type SiteRefusal, type SurgeryStrategy } from '@graft/core';
import { DEFAULTS, OPTIONS, type ConvGateOptions, type GateKind, type Resolved } from './options.js';

/**
 * The gate's bias: relu and linear gates start at act(0·x + 1) = 1; tanh and sigmoid start at act(0) (0 and ½),
 * which the merge layers turn into a factor of exactly 1.
 */
const GATE_BIAS: Readonly<Record<GateKind, number>> = { relu: 1, linear: 1, tanh: 0, sigmoid: 0 };

/** The layers that gate `after`, named readably and uniquely; the last one replaces `after` for its consumers. */
function gateLayers(graph: ModelGraph, after: string, rank: 3 | 4, channels: number, options: Resolved): NewLayer[] {
  const name = layerNamer(graph);
  const k = options.kernelSize;
  const bias = GATE_BIAS[options.gate];
  // The zero kernel is the whole trick: the gate ignores x at first, so it is a constant, and x's gradient flows
  // into the kernel through the product with x from the first step.
  const gate = conv({
    name: name(`${after}_gate`),
    input: after,
    rank,
    inputWidth: channels,
    filters: channels,
    kernelSize: k,
    activation: options.gate,
    kernel: new Float32Array(k ** (rank - 2) * channels * channels),
    bias: new Float32Array(channels).fill(bias),
    kernelInitializer: initializers.zeros(),
    biasInitializer: bias === 0 ? initializers.zeros() : initializers.ones(),
  });
  switch (options.gate) {
    case 'relu':
    case 'linear':
      return [gate, merge('Multiply', name(`${after}_gated`), [after, gate.name])];
    case 'tanh': {
      // y = x + x·tanh(conv(x)): 1 + tanh(·) is bounded in (0, 2) and never dies, and x + x·0 = x exactly.
      const product = merge('Multiply', name(`${after}_gate_product`), [after, gate.name]);
      return [gate, product, merge('Add', name(`${after}_gated`), [after, product.name])];
    }
    case 'sigmoid': {
      // y = x·(s + s) with s = sigmoid(conv(x)) = ½: ½ + ½ = 1 exactly, so y = x exactly (no 2x overflow risk).
      const doubled = merge('Add', name(`${after}_gate_doubled`), [gate.name, gate.name]);
      return [gate, doubled, merge('Multiply', name(`${after}_gated`), [after, doubled.name])];
    }
  }
}

/** Where a gate may go: the single float output of a layer, channels_last rank 4, or a sequence a Conv1D produced. */
function planGate(graph: ModelGraph, layer: string): SiteDescription | SiteRefusal {
  const site = describeSite(graph, layer, { strategy: 'conv-gate', ranks: [3, 4], inputs: false });
  if (site.ok && site.rank === 3 && !convolvedSequence(graph, layer)) {
    return refuse(`"${layer}" is a sequence no Conv1D produced; a Conv1D gate there would mix neighbouring steps (future ones too) once trained — conv-gate goes after a Conv1D or the per-step layers that follow one`);
  }
  return site;
}

function buildGate(graph: ModelGraph, site: Site, plan: SiteDescription, options: Resolved): ApplyResult {
  const layers = gateLayers(graph, site.after, plan.rank as 3 | 4, plan.width, options);
  return { graph: insertAfter(graph, site.after, layers), added: layers.map((layer) => layer.name) };
}

/**
 * A multiplicative conv gate `y = x ⊙ g(x)` after a rank-4 (channels_last) layer or a convolved rank-3 sequence
 * (a Conv1D gate), initialised so that
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
export function convGate(options: ConvGateOptions = {}): SurgeryStrategy<ConvGateOptions> {
  const description = 'Multiplicative conv gate y = x ⊙ g(x) after a rank-4 layer or a Conv1D sequence, initialised so g(x) = 1 exactly.';
  return plannedStrategy({ name: 'conv-gate', description, options: OPTIONS, defaults: DEFAULTS, plan: planGate, build: buildGate }, options);
}
