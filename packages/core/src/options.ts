import { GraftError } from './errors.js';

/** The outcome of reading one option value: the value, or a refusal (the message names the value as given). */
export type OptionRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** Reads one option: what a valid value looks like (for the message) and how a given value is read. */
export interface OptionField<T> {
  /** The end of `… expected <expected>.`: `an integer from 1 to 31`, `one of "auto", "relu"`. */
  readonly expected: string;
  /** Reads a given (not `undefined`) value, which may be a number or the CLI's text (`--set units=32`). */
  read(given: unknown): OptionRead<T>;
}

/** The fields a strategy accepts, by option name. */
export type OptionSpec = Readonly<Record<string, OptionField<unknown>>>;

/** What {@link readOptions} returns: every key of the spec, `undefined` where the option was not given. */
export type OptionValues<S extends OptionSpec> = { readonly [K in keyof S]: (S[K] extends OptionField<infer T> ? T : never) | undefined };

/** Decimal or exponent text: `32`, `-1.5`, `.5`, `1e-3`. Not `0x10`, `Infinity` or `1_000`. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Whole numbers only: `1e3` or `0x10` on a command line is more likely a slip than a width. */
const DIGITS_TEXT = /^[+-]?\d+$/;

/** How a value appears in a message: text quoted (so `""` and `" 3"` show), anything else as written in code. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}

function invalidOption(message: string): GraftError {
  return new GraftError('INVALID_OPTION', message);
}

/**
 * Reads a strategy's options, given to its factory or per call of `apply`, where any value may arrive as a number
 * or as text from the CLI's `--set key=value`. `undefined` (no options) reads as none given; a key whose value is
 * `undefined` reads as not given. Each field is read in the order of `spec`. Every refusal is worded one way:
 * `<strategy>: option "units" is "abc"; expected an integer from 1 to 1000000.`
 *
 * @param strategy the strategy's name, which starts every message.
 * @param raw the options as given.
 * @param spec the accepted keys and how each is read: {@link integerOption}, {@link numberOption},
 *   {@link choiceOption}, {@link booleanOption}, {@link standardOptions}, or any {@link OptionField}.
 * @returns every key of `spec`, `undefined` where not given.
 * @throws GraftError `INVALID_OPTION` in one line, when `raw` is not an object (`null` and arrays included), has a
 *   key `spec` does not list (the known keys are named), or has a value its field refuses (the value given and what
 *   was expected are named).
 */
export function readOptions<S extends OptionSpec>(strategy: string, raw: unknown, spec: S): OptionValues<S> {
  const known = Object.keys(spec);
  const values: Record<string, unknown> = Object.fromEntries(known.map((key) => [key, undefined]));
  if (raw === undefined) return values as OptionValues<S>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidOption(`${strategy}: options must be an object with the keys ${known.join(', ')}; got ${kindOf(raw)}.`);
  }
  const given = raw as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(spec, key)) throw invalidOption(`${strategy}: unknown option "${key}"; expected one of: ${known.join(', ')}.`);
  }
  for (const key of known) {
    const value = given[key];
    if (value === undefined) continue;
    const field = spec[key]!;
    const outcome = field.read(value);
    if (!outcome.ok) throw invalidOption(`${strategy}: option "${key}" is ${shown(value)}; expected ${field.expected}.`);
    values[key] = outcome.value;
  }
  return values as OptionValues<S>;
}

/** A finite number from a number or from text matching `pattern` (after trimming), else `undefined`. */
function parseNumber(given: unknown, pattern: RegExp): number | undefined {
  if (typeof given === 'number') return Number.isFinite(given) ? given : undefined;
  if (typeof given !== 'string' || !pattern.test(given.trim())) return undefined;
  const value = Number(given.trim());
  return Number.isFinite(value) ? value : undefined;
}

/** Settings of {@link integerOption}. */
export interface IntegerOptionSettings {
  /** Smallest value allowed. Default: no bound beyond safe integers. */
  readonly min?: number;
  /** Largest value allowed. Default: no bound beyond safe integers. */
  readonly max?: number;
  /** Only odd values (kernel sizes that have a centre tap). */
  readonly odd?: boolean;
  /**
   * Which text reads as an integer: `digits` (default) only `[+-]` and digits, as `1e3` or `0x10` on a command line is
   * more likely a slip; `number` also decimal and exponent text of an integer value (`1e3`, `32.0`), as
   * {@link numberOption} reads. `0x10` is refused by both.
   */
  readonly text?: 'digits' | 'number';
  /** What the message says is expected. Default from the bounds: `an integer from 1 to 31`, `an odd integer`, … */
  readonly expected?: string;
}

function describeRange(noun: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return noun;
}

/**
 * An integer option: a safe integer given as a number or as text, within `min`..`max` (and odd, if asked).
 * Surrounding spaces in text are ignored.
 */
export function integerOption(settings: IntegerOptionSettings = {}): OptionField<number> {
  const { min, max, odd = false, text = 'digits' } = settings;
  const pattern = text === 'number' ? NUMBER_TEXT : DIGITS_TEXT;
  return {
    expected: settings.expected ?? describeRange(odd ? 'an odd integer' : 'an integer', min, max),
    read(given) {
      const value = parseNumber(given, pattern);
      if (value === undefined || !Number.isSafeInteger(value)) return { ok: false };
      const allowed = (min === undefined || value >= min) && (max === undefined || value <= max) && (!odd || Math.abs(value % 2) === 1);
      return allowed ? { ok: true, value } : { ok: false };
    },
  };
}

/** Settings of {@link numberOption}. */
export interface NumberOptionSettings {
  /** Smallest value allowed. */
  readonly min?: number;
  /** Largest value allowed. */
  readonly max?: number;
  /** Values must be larger than this (an open lower bound, like a factor larger than 1). */
  readonly above?: number;
  /** What the message says is expected. Default from the bounds: `a number from 0 to 1`, `a number larger than 1`. */
  readonly expected?: string;
}

/**
 * A number option: a finite number given as a number or as decimal or exponent text (`0.5`, `1e-3`, ` 2 `), within
 * the bounds. Hexadecimal, `Infinity` and other text `Number()` would also take are refused.
 */
export function numberOption(settings: NumberOptionSettings = {}): OptionField<number> {
  const { min, max, above } = settings;
  const range = describeRange('a number', min, max);
  return {
    expected: settings.expected ?? (above === undefined ? range : `${range} larger than ${above}`),
    read(given) {
      const value = parseNumber(given, NUMBER_TEXT);
      if (value === undefined) return { ok: false };
      const allowed = (min === undefined || value >= min) && (max === undefined || value <= max) && (above === undefined || value > above);
      return allowed ? { ok: true, value } : { ok: false };
    },
  };
}

/**
 * One of a fixed list of words, given as text (surrounding spaces ignored).
 * @param choices the words accepted, as they are returned.
 * @param settings.expected what the message says is expected. Default: `one of "a", "b", "c"`.
 */
export function choiceOption<const T extends string>(choices: readonly T[], settings: { readonly expected?: string } = {}): OptionField<T> {
  return {
    expected: settings.expected ?? `one of ${choices.map((choice) => `"${choice}"`).join(', ')}`,
    read(given) {
      const text = typeof given === 'string' ? given.trim() : undefined;
      return text !== undefined && (choices as readonly string[]).includes(text) ? { ok: true, value: text as T } : { ok: false };
    },
  };
}

/**
 * A yes/no option: `true` or `false`, as booleans or as the text `true` / `false` (surrounding spaces ignored).
 * @param settings.expected what the message says is expected. Default: `true or false`.
 */
export function booleanOption(settings: { readonly expected?: string } = {}): OptionField<boolean> {
  return {
    expected: settings.expected ?? 'true or false',
    read(given) {
      if (typeof given === 'boolean') return { ok: true, value: given };
      const text = typeof given === 'string' ? given.trim() : undefined;
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false };
    },
  };
}

/** Far above any useful layer, low enough that a typo (`units=1e9`) is refused before anything is allocated. */
export const MAX_UNITS = 1_000_000;
/** Largest kernel side the standard `kernelSize` option accepts. */
export const MAX_KERNEL_SIZE = 31;

/**
 * The fields of option names several strategies share, so that each name has the same bounds everywhere.
 * {@link plannedStrategy} refuses a spec that declares one of these names with a field of its own.
 */
export const standardOptions = Object.freeze({
  /** Seed of a strategy's random choices: an integer from 0 to 2³²−1. */
  seed: integerOption({ min: 0, max: 0xffffffff }),
  /** Side of a (square) kernel: odd, so that "same" padding is centred. */
  kernelSize: integerOption({ min: 1, max: MAX_KERNEL_SIZE, odd: true, expected: `an odd integer from 1 to ${MAX_KERNEL_SIZE} (so "same" padding is centred)` }),
  /** Symmetry-breaking noise: 0 keeps the function exact. */
  noise: numberOption({ min: 0, max: 1, expected: 'a number from 0 (exact) to 1' }),
  /** A layer width in units (or filters). */
  units: integerOption({ min: 1, max: MAX_UNITS }),
});
