import { numberOption, refuse, standardOptions, type ResolvedOptions, type SiteRefusal } from '@graft/core';

/** Options of {@link widen}; the same keys may be given per call of `grow` (as strings from the CLI). */
export interface WidenOptions {
  /** Target width m (units of a Dense, filters of a Conv2D); an integer larger than the current width n. */
  readonly units?: number;
  /** Target width as a multiple of n: m = ceil(n · factor); a number larger than 1. Give `units` or `factor`, not both. */
  readonly factor?: number;
  /**
   * Relative symmetry-breaking noise on the new units' incoming weights, in [0, 1]: each is multiplied by
   * (1 + noise · u), u uniform in [-1, 1). Default 0, which keeps the function exact.
   */
  readonly noise?: number;
  /** Seed for choosing which units to replicate and for the noise (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

/** Without `units` or `factor`, widen by half again: m = n + ceil(n / 2) (32 → 48, 20 → 30). */
export const DEFAULT_FACTOR = 1.5;

export const OPTIONS = { units: standardOptions.units, factor: numberOption({ above: 1 }), noise: standardOptions.noise, seed: standardOptions.seed };

/** `factor` is typed as possibly absent: a `units` given replaces it. */
export const DEFAULTS = { units: undefined, factor: DEFAULT_FACTOR as number | undefined, noise: 0, seed: 1 };

/** `units` and `factor` exclude each other; one given per call replaces the other from the factory. */
export const EXCLUSIVE = [['units', 'factor']] as const;

/** Options after merging: exactly one of `units` and `factor` is set. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;

/** The target width m for a layer of width n, or why `units` cannot widen it. */
export function targetWidth(options: Pick<Resolved, 'units' | 'factor'>, n: number): number | SiteRefusal {
  if (options.units !== undefined) {
    return options.units > n ? options.units : refuse(`option "units" is ${options.units}, but the layer already has ${n}; expected more than ${n}`, 'INVALID_OPTION');
  }
  // toPrecision: 10 × 1.1 is 11.000000000000002 in floating point, which must not round up to 12.
  return Math.max(n + 1, Math.ceil(Number((n * (options.factor ?? DEFAULT_FACTOR)).toPrecision(12))));
}
