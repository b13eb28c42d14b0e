import { describeSite, exactIdentityActivation, refuse, type LayerNode, type ModelGraph, type SiteDescription, type SiteRefusal } from '@graft/core';
import type { Resolved } from './options.js';

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
 * Largest kernel dense-identity inserts (n × m weights; 64 MB of float32). An identity after a wide Flatten is
 * exact but absurd: MNIST's 26 × 26 × 32 Flatten would need a 21,632² kernel, 1.9 GB, which tfjs can barely build.
 */
export const MAX_KERNEL_WEIGHTS = 2 ** 24;

const count = (n: number): string => n.toLocaleString('en-US');

/** The Dense layers reading `site` that take zero rows for the extra units, or why widening is not exact there. */
function zeroRowConsumers(graph: ModelGraph, site: SiteDescription): LayerNode[] | string {
  if (site.isModelOutput) return `output of "${site.name}" is a model output, and widening would change its width — widen where only Dense layers read it`;
  const readers: LayerNode[] = [];
  for (const consumer of site.consumers) {
    const reader = graph.nodes.find((n) => n.name === consumer.layer);
    if (reader === undefined || readers.includes(reader)) continue;
    if (reader.className !== 'Dense') return `"${reader.name}" (${reader.className}) reads it and cannot take zero rows for the extra units; widening needs Dense consumers only`;
    if (reader.inbound.length !== 1) return `its consumer "${reader.name}" is called at ${reader.inbound.length} sites, and zero rows would not fit the others`;
    const kernel = reader.weights.find((w) => w.name === 'kernel');
    if (kernel?.shape.length !== 2 || kernel.shape[0] !== site.width) return `its consumer "${reader.name}" has no [${site.width}, k] kernel to extend`;
    readers.push(reader);
  }
  return readers;
}

/**
 * Decides whether dense-identity, with `options`, is exact after `after`, and how it would be applied.
 * Never throws: every problem becomes a refusal with a one-line reason.
 */
export function planSite(graph: ModelGraph, after: string, options: Resolved): SitePlan | SiteRefusal {
  const site = describeSite(graph, after, { strategy: 'dense-identity', ranks: [2, 3] });
  if (!site.ok) return site;
  const { width } = site;
  if (width * width > MAX_KERNEL_WEIGHTS) {
    return refuse(`output has ${count(width)} units, and a ${count(width)} × ${count(width)} identity kernel would exceed dense-identity's limit of ${count(MAX_KERNEL_WEIGHTS)} weights — insert after a narrower layer (pooling, or a Dense)`);
  }
  const activation = exactIdentityActivation(site, options.activation);
  if (typeof activation !== 'string') return activation;
  const units = options.units ?? width;
  if (units < width) return refuse(`units ${units} < ${width} incoming units; an identity cannot drop units — use units ≥ ${width}`, 'INVALID_OPTION');
  if (width * units > MAX_KERNEL_WEIGHTS) {
    return refuse(`units ${count(units)} would make a ${count(width)} × ${count(units)} kernel, over dense-identity's limit of ${count(MAX_KERNEL_WEIGHTS)} weights — use units ≤ ${count(Math.floor(MAX_KERNEL_WEIGHTS / width))}`, 'INVALID_OPTION');
  }
  if (units === width) return { ok: true, after, width, units, activation, consumers: [] };
  const consumers = zeroRowConsumers(graph, site);
  if (typeof consumers === 'string') return refuse(`cannot widen to ${units} units: ${consumers}`, 'NOT_EXACT');
  return { ok: true, after, width, units, activation, consumers };
}
