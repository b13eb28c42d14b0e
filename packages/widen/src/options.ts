import { GraftError, integerOption, numberOption, readOptions, type OptionValues } from '@graft/core';

/** Options of {@link widen}. Every field may also arrive as a string from the CLI (`--set units=48`). */
export interface WidenOptions {
  /** Target width m (units of a Dense, filters of a Conv2D); an integer larger than the current width n. */
  readonly units?: number | string;
  /** Target width as a multiple of n: m = ceil(n · factor); a number larger than 1. Give `units` or `factor`, not both. */
  readonly factor?: number | string;
  /**
   * Relative symmetry-breaking noise on the new units' incoming weights, in [0, 1]: each is multiplied by
   * (1 + noise · u), u uniform in [-1, 1). Default 0, which keeps the function exact.
   */
  readonly noise?: number | string;
  /** Seed for choosing which units to replicate and for the noise. Default 1. */
  readonly seed?: number | string;
}

/** Options after parsing: `size` says how the target width is chosen. */
export interface ParsedWidenOptions {
  readonly size: { readonly units: number } | { readonly factor: number };
  readonly noise: number;
  readonly seed: number;
}

/** Without `units` or `factor`, widen by half again: m = n + ceil(n / 2) (32 → 48, 20 → 30). */
export const DEFAULT_FACTOR = 1.5;

function invalid(message: string): never {
  throw new GraftError('INVALID_OPTION', `widen: ${message}`);
}

// Per-key rules; units and factor are also checked together below. Numbers out of range are shown as read ("2" as 2).
const WORDING = { colon: true, showRead: true } as const;
const SPEC = {
  // Integers as digits only: Number('0x10') and Number('1e3') are integers too, but nobody means them on a command line.
  units: integerOption({ min: 2, expected: 'a whole number of units larger than the layer has now (at least 2)' }),
  factor: numberOption({ above: 1 }),
  noise: numberOption({ min: 0, max: 1 }),
  seed: integerOption({ expected: 'a whole number' }),
};

type GivenWidenOptions = OptionValues<typeof SPEC>;

function sizeOf(given: GivenWidenOptions): ParsedWidenOptions['size'] | undefined {
  if (given.units !== undefined && given.factor !== undefined) invalid('got both "units" and "factor"; expected only one of them.');
  if (given.units !== undefined) return { units: given.units };
  if (given.factor !== undefined) return { factor: given.factor };
  return undefined;
}

/**
 * Parses widen's options, as given to the factory and then overridden per call (a `units` or `factor` in the
 * override replaces both size options of the base, so `--set units=…` works on a strategy made with a factor).
 *
 * @throws GraftError `INVALID_OPTION` for unknown keys, non-numeric strings, non-integer units or seed,
 * factor ≤ 1, or noise outside [0, 1].
 */
export function parseWidenOptions(base: Readonly<Record<string, unknown>> = {}, override: Readonly<Record<string, unknown>> = {}): ParsedWidenOptions {
  const fromBase = readOptions('widen', base, SPEC, WORDING);
  const fromOverride = readOptions('widen', override, SPEC, WORDING);
  const size = sizeOf(fromOverride) ?? sizeOf(fromBase) ?? { factor: DEFAULT_FACTOR };
  return { size, noise: fromOverride.noise ?? fromBase.noise ?? 0, seed: fromOverride.seed ?? fromBase.seed ?? 1 };
}

/**
 * The target width m for a layer of width n.
 * @throws GraftError `INVALID_OPTION` when `units` is not larger than n.
 */
export function targetWidth(size: ParsedWidenOptions['size'], n: number, layer: string): number {
  if ('units' in size) {
    if (size.units <= n) invalid(`option "units" is ${size.units}, but layer "${layer}" already has ${n}; expected more than ${n}.`);
    return size.units;
  }
  // toPrecision: 10 × 1.1 is 11.000000000000002 in floating point, which must not round up to 12.
  return Math.max(n + 1, Math.ceil(Number((n * size.factor).toPrecision(12))));
}
