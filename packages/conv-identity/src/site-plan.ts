import { describeSite, exactIdentityActivation, type ModelGraph, type SiteRefusal } from '@graft/core';
import type { Resolved } from './options.js';

/** Everything `apply` needs to know about a site where conv-identity is exact. */
export interface SitePlan {
  readonly ok: true;
  readonly after: string;
  /** Rank of the convolved tensor: 4 for Conv2D (`[batch, height, width, channels]`). */
  readonly rank: 3 | 4;
  readonly channels: number;
  readonly kernelSize: number;
  readonly activation: 'relu' | 'linear';
}

/**
 * Decides whether conv-identity, with `options`, is exact after `after`, and how it would be applied.
 * Never throws: every problem becomes a refusal with a one-line reason.
 */
export function planSite(graph: ModelGraph, after: string, options: Resolved): SitePlan | SiteRefusal {
  const site = describeSite(graph, after, { strategy: 'conv-identity', ranks: [4] });
  if (!site.ok) return site;
  const activation = exactIdentityActivation(site, options.activation);
  if (typeof activation !== 'string') return activation;
  return { ok: true, after, rank: site.rank as 3 | 4, channels: site.width, kernelSize: options.kernelSize, activation };
}
