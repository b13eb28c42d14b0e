import { InvalidArgumentError } from 'commander';

// Commander calls these while parsing; an InvalidArgumentError becomes its one-line
// "option '--epochs <n>' argument 'x' is invalid. …" message and exit status 2.

/** An integer ≥ `min`, for counts such as `--samples` and `--epochs`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`Expected an integer ≥ ${min}.`);
    return n;
  };
}

/** A finite number > 0, for `--tolerance` and `--lr`. */
export function positiveNumber(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a number > 0.');
  return n;
}

/** Collects repeated `--set key=value` into an object; values stay strings (strategies parse them). */
export function collectKeyValue(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const at = value.indexOf('=');
  const key = at < 0 ? '' : value.slice(0, at).trim();
  if (key === '') throw new InvalidArgumentError('Expected key=value, e.g. --set units=32.');
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`"${key}" is set twice; expected each key once.`);
  return { ...previous, [key]: value.slice(at + 1).trim() };
}

/** `all`, `new`, or a comma-separated list of layer names, for `--train`. */
export function trainableSpec(value: string): 'all' | 'new' | string[] {
  const text = value.trim();
  if (text === 'all' || text === 'new') return text;
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new InvalidArgumentError('Expected all, new, or layer names separated by commas.');
  return names;
}

/** A number in [0, 1), for `--validation-split` (0 holds nothing out). */
export function fraction(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('Expected a number ≥ 0 and < 1.');
  return n;
}

/** `auto` or an integer ≥ 1, for `--workers`. */
export function workersSpec(value: string): 'auto' | number {
  const text = value.trim();
  if (text === 'auto') return text;
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Expected auto or an integer ≥ 1.');
  return n;
}
