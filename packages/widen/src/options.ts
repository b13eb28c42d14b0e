import { GraftError } from '@graft/core';

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

const KNOWN = ['units', 'factor', 'noise', 'seed'] as const;

function invalid(message: string): never {
  throw new GraftError('INVALID_OPTION', `widen: ${message}`);
}

/** A finite number from a number or a numeric string; `undefined` when absent. */
function readNumber(key: string, value: unknown, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(parsed)) invalid(`option "${key}" is ${JSON.stringify(value)}; expected ${expected}.`);
  return parsed;
}

function readInteger(key: string, value: unknown, expected: string): number | undefined {
  // Number('0x10') and Number('1e3') are integers too, but nobody means them on a command line.
  if (typeof value === 'string' && !/^\s*[+-]?\d+\s*$/.test(value)) invalid(`option "${key}" is ${JSON.stringify(value)}; expected ${expected}.`);
  const parsed = readNumber(key, value, expected);
  if (parsed !== undefined && !Number.isSafeInteger(parsed)) invalid(`option "${key}" is ${JSON.stringify(value)}; expected ${expected}.`);
  return parsed;
}

function parseSize(raw: Readonly<Record<string, unknown>>): ParsedWidenOptions['size'] | undefined {
  const units = readInteger('units', raw['units'], 'a whole number of units larger than the layer has now');
  const factor = readNumber('factor', raw['factor'], 'a number larger than 1');
  if (units !== undefined && factor !== undefined) invalid('got both "units" and "factor"; expected only one of them.');
  if (units !== undefined) {
    if (units < 2) invalid(`option "units" is ${units}; expected a whole number of units larger than the layer has now (at least 2).`);
    return { units };
  }
  if (factor !== undefined) {
    if (factor <= 1) invalid(`option "factor" is ${factor}; expected a number larger than 1.`);
    return { factor };
  }
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
  for (const raw of [base, override]) {
    if (typeof raw !== 'object' || raw === null) invalid(`options must be an object; got ${raw === null ? 'null' : typeof raw}.`);
    const unknown = Object.keys(raw).filter((key) => raw[key] !== undefined && !(KNOWN as readonly string[]).includes(key));
    if (unknown.length > 0) invalid(`unknown option "${unknown[0]}"; expected one of: ${KNOWN.join(', ')}.`);
  }
  const size = parseSize(override) ?? parseSize(base) ?? { factor: DEFAULT_FACTOR };
  const noise = readNumber('noise', override['noise'] ?? base['noise'], 'a number from 0 to 1') ?? 0;
  if (noise < 0 || noise > 1) invalid(`option "noise" is ${noise}; expected a number from 0 to 1.`);
  const seed = readInteger('seed', override['seed'] ?? base['seed'], 'a whole number') ?? 1;
  return { size, noise, seed };
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
