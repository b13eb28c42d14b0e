import { choiceOption, integerOption, numberOption, readOptions } from '@graft/core';

/** How the inserted layer's activation is chosen: `auto` picks the exact one for the incoming values. */
export type IdentityActivation = 'auto' | 'relu' | 'linear';

/** Options of {@link denseIdentity}; the same keys may be overridden per call of `apply` (as strings from the CLI). */
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

/** Options after parsing and merging: every key known and valid. */
export interface ResolvedOptions {
  readonly units: number | undefined;
  readonly activation: IdentityActivation;
  readonly noise: number;
  readonly seed: number;
}

export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({ units: undefined, activation: 'auto', noise: 0, seed: 1 });

const ACTIVATIONS: readonly IdentityActivation[] = ['auto', 'relu', 'linear'];
/** Far above any useful layer, low enough that a typo (`units=1e9`) is refused before allocating. */
export const MAX_UNITS = 1_000_000;

/** Every key is listed, so a typo on the command line (`--set unit=32`) is refused rather than ignored. */
const SPEC = {
  units: integerOption({ min: 1, max: MAX_UNITS, text: 'number' }),
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
  const given = readOptions('dense-identity', raw, SPEC, { example: '{ units: 32 }' });
  return Object.freeze({
    units: given.units ?? base.units,
    activation: given.activation ?? base.activation,
    noise: given.noise ?? base.noise,
    seed: given.seed ?? base.seed,
  });
}
