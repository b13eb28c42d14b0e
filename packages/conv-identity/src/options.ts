import { choiceOption, integerOption, numberOption, readOptions } from '@graft/core';

/** How the inserted layer's activation is chosen: `auto` picks the exact one for the incoming values. */
export type IdentityActivation = 'auto' | 'relu' | 'linear';

/** Options of {@link convIdentity}; the same keys may be overridden per call of `apply` (as strings from the CLI). */
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

/** Options after parsing and merging: every key known and valid. */
export interface ResolvedOptions {
  readonly kernelSize: number;
  readonly activation: IdentityActivation;
  readonly noise: number;
  readonly seed: number;
}

export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({ kernelSize: 3, activation: 'auto', noise: 0, seed: 1 });

const ACTIVATIONS: readonly IdentityActivation[] = ['auto', 'relu', 'linear'];
export const MAX_KERNEL_SIZE = 31;

/** Every key is listed, so a typo on the command line (`--set kernel=5`) is refused rather than ignored. */
const SPEC = {
  kernelSize: integerOption({ min: 1, max: MAX_KERNEL_SIZE, odd: true, text: 'number', expected: `an odd integer from 1 to ${MAX_KERNEL_SIZE} (an even kernel has no centre tap)` }),
  activation: choiceOption(ACTIVATIONS),
  noise: numberOption({ min: 0, max: 1, expected: 'a number from 0 (exact) to 1' }),
  seed: integerOption({ min: 0, max: 0xffffffff, text: 'number' }),
};

/**
 * Validates `raw` (factory options or per-call overrides) and merges it over `base`. `undefined` values leave
 * the base value in place.
 *
 * @throws GraftError `INVALID_OPTION` naming the key, the value given and what was expected.
 */
export function parseOptions(raw: unknown, base: ResolvedOptions = DEFAULT_OPTIONS): ResolvedOptions {
  if (raw === undefined || raw === null) return base;
  const given = readOptions('conv-identity', raw, SPEC, { example: '{ kernelSize: 3 }' });
  return Object.freeze({
    kernelSize: given.kernelSize ?? base.kernelSize,
    activation: given.activation ?? base.activation,
    noise: given.noise ?? base.noise,
    seed: given.seed ?? base.seed,
  });
}
