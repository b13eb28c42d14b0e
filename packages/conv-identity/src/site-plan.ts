import { activationOf, isNonNegativeOutput, type LayerNode, type ModelGraph } from '@graft/core';
import type { ResolvedOptions } from './options.js';

/** Everything `apply` needs to know about a site where conv-identity is exact. */
export interface SitePlan {
  readonly ok: true;
  readonly after: string;
  readonly channels: number;
  readonly kernelSize: number;
  readonly activation: 'relu' | 'linear';
}

/** Why a site is refused: `SITE_NOT_OFFERED` for shape or wiring, `NOT_EXACT` when the options would change predictions. */
export interface SiteRefusal {
  readonly ok: false;
  readonly code: 'SITE_NOT_OFFERED' | 'NOT_EXACT';
  readonly reason: string;
}

/** Keras's spelling in `model.json`, and tfjs's own in case a config was written by hand. */
const CHANNELS_FIRST = new Set(['channels_first', 'channelsFirst']);

const notOffered = (reason: string): SiteRefusal => ({ ok: false, code: 'SITE_NOT_OFFERED', reason });

/** `tanh`, `linear Conv2D "conv_3"`, `InputLayer "input"`: how the incoming values are described in a refusal. */
function producerDescription(node: LayerNode): string {
  const activation = activationOf(node);
  if (activation === undefined) return `${node.className} "${node.name}"`;
  return activation === 'linear' ? `linear ${node.className} "${node.name}"` : activation;
}

/**
 * The data format of the values `name` outputs: its own `data_format`, else that of the layer it reads (an
 * `Activation` or `Dropout` keeps the layout of its input). `undefined` at an input: tfjs's default, channels_last.
 */
function dataFormatOf(graph: ModelGraph, name: string, seen: ReadonlySet<string> = new Set()): string | undefined {
  const node = graph.nodes.find((n) => n.name === name);
  if (node === undefined || seen.has(name)) return undefined;
  const own = node.config['data_format'];
  if (typeof own === 'string') return own;
  const formats = node.inbound.flat().map((ref) => dataFormatOf(graph, ref.layer, new Set([...seen, name])));
  return formats.find((f) => CHANNELS_FIRST.has(f ?? '')) ?? formats.find((f) => f !== undefined);
}

/**
 * Decides whether conv-identity, with `options`, is exact after `after`, and how it would be applied.
 * Never throws: every problem becomes a refusal with a one-line reason.
 */
export function planSite(graph: ModelGraph, after: string, options: ResolvedOptions): SitePlan | SiteRefusal {
  const node = graph.nodes.find((n) => n.name === after);
  if (node === undefined) return notOffered(`there is no layer "${after}"`);
  const calls = node.outputShapes;
  if (calls === undefined) return notOffered(`the output shape of "${after}" is not known yet; rebuild the model first`);
  if (calls.length !== 1) return notOffered(`layer is called at ${calls.length} sites; conv-identity needs a layer called once`);
  const outputs = calls[0] ?? [];
  if (outputs.length !== 1) return notOffered(`layer has ${outputs.length} outputs; conv-identity needs exactly one`);
  const shape = outputs[0] ?? [];
  if (shape.length !== 4) return notOffered(`output has rank ${shape.length}; conv-identity needs rank 4 [batch, height, width, channels]`);
  if (CHANNELS_FIRST.has(dataFormatOf(graph, after) ?? '')) return notOffered('output is channels_first; conv-identity needs channels_last');
  const channels = shape[3];
  if (typeof channels !== 'number' || channels < 1) return notOffered('the number of channels is not known; conv-identity needs a fixed channel count');
  if (node.className === 'InputLayer' && (node.config['dtype'] ?? 'float32') !== 'float32') {
    return notOffered(`input has dtype ${String(node.config['dtype'])}; an identity Conv2D needs float32 values`);
  }
  const nonNegative = isNonNegativeOutput(graph, after);
  if (options.activation === 'relu' && !nonNegative) {
    return { ok: false, code: 'NOT_EXACT', reason: `output of ${producerDescription(node)} can be negative; a ReLU identity would clip it — use activation: 'linear'` };
  }
  const activation = options.activation === 'auto' ? (nonNegative ? 'relu' : 'linear') : options.activation;
  return { ok: true, after, channels, kernelSize: options.kernelSize, activation };
}
