import { activationOf, consumersOf, isModelOutput, isNonNegativeOutput, type LayerNode, type ModelGraph } from '@graft/core';
import type { ResolvedOptions } from './options.js';

/** Everything `apply` needs to know about a site where dense-identity is exact. */
export interface SitePlan {
  readonly ok: true;
  readonly after: string;
  /** Incoming width. */
  readonly width: number;
  /** Width of the inserted layer (≥ width). */
  readonly units: number;
  readonly activation: 'relu' | 'linear';
  /** Dense layers that read `after` and get zero rows when widening (empty otherwise). */
  readonly consumers: readonly LayerNode[];
}

/**
 * Why a site is refused. `SITE_NOT_OFFERED`: the layer's shape or wiring never allows it. `NOT_EXACT`: the options
 * asked for something that would change predictions here. `INVALID_OPTION`: an option cannot fit this site.
 */
export interface SiteRefusal {
  readonly ok: false;
  readonly code: 'SITE_NOT_OFFERED' | 'NOT_EXACT' | 'INVALID_OPTION';
  readonly reason: string;
}

/**
 * Largest kernel dense-identity inserts (n × m weights; 64 MB of float32). An identity after a wide Flatten is
 * exact but absurd: MNIST's 26 × 26 × 32 Flatten would need a 21,632² kernel, 1.9 GB, which tfjs can barely build.
 */
export const MAX_KERNEL_WEIGHTS = 2 ** 24;

const count = (n: number): string => n.toLocaleString('en-US');

const notOffered = (reason: string): SiteRefusal => ({ ok: false, code: 'SITE_NOT_OFFERED', reason });

/** `tanh`, `linear Dense`, `InputLayer`: how the incoming values are described in a refusal. */
function producerDescription(node: LayerNode): string {
  const activation = activationOf(node);
  if (activation === undefined) return `${node.className} "${node.name}"`;
  return activation === 'linear' ? `linear ${node.className} "${node.name}"` : activation;
}

/** Why the extra units' zero outgoing rows cannot be added to a consumer, or `undefined` when they can. */
function widenRefusal(graph: ModelGraph, node: LayerNode, width: number): string | undefined {
  if (isModelOutput(graph, node.name)) return `output of "${node.name}" is a model output, and widening would change its width — widen where only Dense layers read it`;
  for (const consumer of consumersOf(graph, node.name)) {
    const reader = graph.nodes.find((n) => n.name === consumer.layer);
    if (reader === undefined) continue;
    if (reader.className !== 'Dense') return `"${reader.name}" (${reader.className}) reads it and cannot take zero rows for the extra units; widening needs Dense consumers only`;
    if (reader.inbound.length !== 1) return `its consumer "${reader.name}" is called at ${reader.inbound.length} sites, and zero rows would not fit the others`;
    const kernel = reader.weights.find((w) => w.name === 'kernel');
    if (kernel?.shape.length !== 2 || kernel.shape[0] !== width) return `its consumer "${reader.name}" has no [${width}, k] kernel to extend`;
  }
  return undefined;
}

/**
 * Decides whether dense-identity, with `options`, is exact after `after`, and how it would be applied.
 * Never throws: every problem becomes a refusal with a one-line reason.
 */
export function planSite(graph: ModelGraph, after: string, options: ResolvedOptions): SitePlan | SiteRefusal {
  const node = graph.nodes.find((n) => n.name === after);
  if (node === undefined) return notOffered(`there is no layer "${after}"`);
  const calls = node.outputShapes;
  if (calls === undefined) return notOffered(`the output shape of "${after}" is not known yet; rebuild the model first`);
  if (calls.length !== 1) return notOffered(`layer is called at ${calls.length} sites; dense-identity needs a layer called once`);
  const outputs = calls[0] ?? [];
  if (outputs.length !== 1) return notOffered(`layer has ${outputs.length} outputs; dense-identity needs exactly one`);
  const shape = outputs[0] ?? [];
  if (shape.length !== 2) return notOffered(`output has rank ${shape.length}; dense-identity needs rank 2`);
  const width = shape[1];
  if (typeof width !== 'number' || width < 1) return notOffered('output width is not known; dense-identity needs a fixed width');
  if (node.className === 'InputLayer' && (node.config['dtype'] ?? 'float32') !== 'float32') {
    return notOffered(`input has dtype ${String(node.config['dtype'])}; an identity Dense needs float32 values`);
  }
  if (width * width > MAX_KERNEL_WEIGHTS) {
    return notOffered(`output has ${count(width)} units, and a ${count(width)} × ${count(width)} identity kernel would exceed dense-identity's limit of ${count(MAX_KERNEL_WEIGHTS)} weights — insert after a narrower layer (pooling, or a Dense)`);
  }

  const nonNegative = isNonNegativeOutput(graph, after);
  if (options.activation === 'relu' && !nonNegative) {
    return { ok: false, code: 'NOT_EXACT', reason: `output of ${producerDescription(node)} can be negative; a ReLU identity would clip it — use activation: 'linear'` };
  }
  const activation = options.activation === 'auto' ? (nonNegative ? 'relu' : 'linear') : options.activation;

  const units = options.units ?? width;
  if (units < width) return { ok: false, code: 'INVALID_OPTION', reason: `units ${units} < ${width} incoming units; an identity cannot drop units — use units ≥ ${width}` };
  if (width * units > MAX_KERNEL_WEIGHTS) {
    return { ok: false, code: 'INVALID_OPTION', reason: `units ${count(units)} would make a ${count(width)} × ${count(units)} kernel, over dense-identity's limit of ${count(MAX_KERNEL_WEIGHTS)} weights — use units ≤ ${count(Math.floor(MAX_KERNEL_WEIGHTS / width))}` };
  }
  if (units === width) return { ok: true, after, width, units, activation, consumers: [] };

  const blocked = widenRefusal(graph, node, width);
  if (blocked !== undefined) return { ok: false, code: 'NOT_EXACT', reason: `cannot widen to ${units} units: ${blocked}` };
  const consumers = consumersOf(graph, after).map((c) => graph.nodes.find((n) => n.name === c.layer)!);
  return { ok: true, after, width, units, activation, consumers: [...new Set(consumers)] };
}
