import { identityActivationOption, standardOptions, type IdentityActivation, type ResolvedOptions } from '@graft/core';
export type { IdentityActivation } from '@graft/core';

/** Options of {@link denseIdentity}; the same keys may be given per call of `grow` (as strings from the CLI). */
export interface DenseIdentityOptions {
  /**
   * Width of the inserted layer. Default: the incoming width `n` (a pure identity). A larger value also widens:
   * the extra units get zero outgoing weights, so predictions stay exact. Smaller than `n` is refused.
   */
  readonly units?: number;
  /**
   * `auto` (default): ReLU where the incoming values are provably non-negative, linear otherwise.
   * `relu` or `linear` force one; a forced ReLU where values can be negative is refused (`NOT_EXACT`).
   */
  readonly activation?: IdentityActivation;
  /**
   * Half-width of uniform noise added to the identity block, from 0 (default, exact) to 1. Breaks the symmetry of
   * the identity at the price of exactness: each inserted unit's output moves by at most `noise · ‖x‖₁`.
   */
  readonly noise?: number;
  /** Seed for the extra units' weights and the noise (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

/** Every key is listed, so a typo on the command line (`--set unit=32`) is refused rather than ignored. */
export const OPTIONS = { units: standardOptions.units, activation: identityActivationOption, noise: standardOptions.noise, seed: standardOptions.seed };

export const DEFAULTS = { units: undefined, activation: 'auto', noise: 0, seed: 1 } as const;

/** Options after merging: `units` stays undefined when it follows the incoming width. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;
