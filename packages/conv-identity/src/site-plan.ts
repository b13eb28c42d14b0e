import { convolvedSequence, describeSite, exactIdentityActivation, refuse, type ModelGraph, type SiteRefusal } from '@graft/core';
import type { Resolved } from './options.js';

/** Everything `apply` needs to know about a site where conv-identity is exact. */
export interface SitePlan {
  readonly ok: true;
  readonly after: string;
  /** Rank of the convolved tensor: 3 for Conv1D (`[batch, steps, channels]`), 4 for Conv2D (`[batch, height, width, channels]`). */
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
  const site = describeSite(graph, after, { strategy: 'conv-identity', ranks: [3, 4] });
  if (!site.ok) return site;
  if (site.rank === 3 && !convolvedSequence(graph, after)) {
    return refuse(`"${after}" is a sequence no Conv1D produced; a Conv1D there would mix neighbouring steps (future ones too) that the model keeps apart — conv-identity goes after a Conv1D or the per-step layers that follow one`);
  }
  const activation = exactIdentityActivation(site, options.activation);
  if (typeof activation !== 'string') return activation;
  return { ok: true, after, rank: site.rank as 3 | 4, channels: site.width, kernelSize: options.kernelSize, activation };
}
