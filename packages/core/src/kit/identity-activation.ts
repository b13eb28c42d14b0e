import { choiceOption } from '../options.js';
import { refuse, type SiteRefusal } from '../planned-strategy.js';
import type { SiteDescription } from './site.js';

/** How an identity layer's activation is chosen: `auto` picks the exact one for the incoming values. */
export type IdentityActivation = 'auto' | 'relu' | 'linear';

/** The option field of an identity's activation: `auto` (default), `relu` or `linear`. */
export const identityActivationOption = choiceOption<IdentityActivation>(['auto', 'relu', 'linear']);

/**
 * The activation under which an identity layer after `site` is exact: ReLU only where the incoming values are
 * provably non-negative (`auto` picks it there, linear elsewhere); a forced ReLU on values that can be negative is
 * refused `NOT_EXACT`, naming what produced them.
 */
export function exactIdentityActivation(site: SiteDescription, requested: IdentityActivation): 'relu' | 'linear' | SiteRefusal {
  if (requested === 'relu' && !site.nonNegative) {
    return refuse(`output of ${site.producer} can be negative; a ReLU identity would clip it — use activation: 'linear'`, 'NOT_EXACT');
  }
  if (requested !== 'auto') return requested;
  return site.nonNegative ? 'relu' : 'linear';
}
