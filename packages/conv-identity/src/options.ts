import { GraftError } from '@graft/core';

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

/** Keeps a typo on the command line (`--set kernel=5`) from being ignored silently. */
const KNOWN_KEYS = ['kernelSize', 'activation', 'noise', 'seed'] as const;
const ACTIVATIONS: readonly IdentityActivation[] = ['auto', 'relu', 'linear'];
export const MAX_KERNEL_SIZE = 31;

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function refuse(key: string, value: unknown, expected: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new GraftError('INVALID_OPTION', `conv-identity option "${key}" is ${shown}; expected ${expected}.`);
}

/** A number given as a number or as text (the CLI's `--set kernelSize=5`). */
function readNumber(key: string, value: unknown, expected: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
  return refuse(key, value, expected);
}

function readInteger(key: string, value: unknown, min: number, max: number, expected = `an integer from ${min} to ${max}`): number {
  const n = readNumber(key, value, expected);
  if (!Number.isInteger(n) || n < min || n > max) refuse(key, value, expected);
  return n;
}

/**
 * Validates `raw` (factory options or per-call overrides) and merges it over `base`. `undefined` values leave
 * the base value in place.
 *
 * @throws GraftError `INVALID_OPTION` naming the key, the value given and what was expected.
 */
export function parseOptions(raw: unknown, base: ResolvedOptions = DEFAULT_OPTIONS): ResolvedOptions {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new GraftError('INVALID_OPTION', `conv-identity options must be an object like { kernelSize: 3 }, got ${Array.isArray(raw) ? 'an array' : typeof raw}.`);
  }
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new GraftError('INVALID_OPTION', `conv-identity has no option "${key}"; expected one of: ${KNOWN_KEYS.join(', ')}.`);
    }
  }
  let { kernelSize, activation, noise, seed } = base;
  if (given['kernelSize'] !== undefined) {
    const expected = `an odd integer from 1 to ${MAX_KERNEL_SIZE} (an even kernel has no centre tap)`;
    kernelSize = readInteger('kernelSize', given['kernelSize'], 1, MAX_KERNEL_SIZE, expected);
    if (kernelSize % 2 === 0) refuse('kernelSize', given['kernelSize'], expected);
  }
  if (given['activation'] !== undefined) {
    const value = given['activation'];
    const text = typeof value === 'string' ? value.trim() : value;
    if (!ACTIVATIONS.includes(text as IdentityActivation)) refuse('activation', value, `one of ${ACTIVATIONS.map((a) => `"${a}"`).join(', ')}`);
    activation = text as IdentityActivation;
  }
  if (given['noise'] !== undefined) {
    const expected = 'a number from 0 (exact) to 1';
    noise = readNumber('noise', given['noise'], expected);
    if (noise < 0 || noise > 1) refuse('noise', given['noise'], expected);
  }
  if (given['seed'] !== undefined) seed = readInteger('seed', given['seed'], 0, 0xffffffff);
  return Object.freeze({ kernelSize, activation, noise, seed });
}
