import { identityActivationOption, standardOptions, type IdentityActivation, type ResolvedOptions } from '@graft/core';
export type { IdentityActivation } from '@graft/core';

/** Options of {@link convIdentity}; the same keys may be given per call of `grow` (as strings from the CLI). */
export interface ConvIdentityOptions {
  /** Side of the square kernel: an odd integer from 1 to 31 (default 3), so that it has a centre tap. */
  readonly kernelSize?: number;
  /**
   * `auto` (default): ReLU where the incoming values are provably non-negative, linear otherwise.
   * `relu` or `linear` force one; a forced ReLU where values can be negative is refused (`NOT_EXACT`).
   */
  readonly activation?: IdentityActivation;
  /**
   * Half-width of uniform noise added to the centre tap's channel block, from 0 (default, exact) to 1. Breaks the
   * symmetry of the identity at the price of exactness: each output value moves by at most `noise · ‖x‖₁` over the
   * channels of the same pixel.
   */
  readonly noise?: number;
  /** Seed of the noise (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

/** Every key is listed, so a typo on the command line (`--set kernel=5`) is refused rather than ignored. */
export const OPTIONS = { kernelSize: standardOptions.kernelSize, activation: identityActivationOption, noise: standardOptions.noise, seed: standardOptions.seed };

export const DEFAULTS = { kernelSize: 3, activation: 'auto', noise: 0, seed: 1 } as const;

/** Options after merging: every key known and valid. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;
