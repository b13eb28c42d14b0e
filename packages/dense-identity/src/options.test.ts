import { isGraftError } from '@graft/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, parseOptions } from './options.js';

function refusal(raw: unknown): string {
  try {
    parseOptions(raw);
  } catch (error) {
    expect(isGraftError(error, 'INVALID_OPTION')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('parseOptions', () => {
  it('defaults to an exact, auto-activated identity', () => {
    expect(parseOptions(undefined)).toEqual({ units: undefined, activation: 'auto', noise: 0, seed: 1 });
    expect(parseOptions({})).toEqual(DEFAULT_OPTIONS);
  });

  it('reads strings from the command line', () => {
    expect(parseOptions({ units: '32', activation: ' relu ', noise: '1e-3', seed: '7' })).toEqual({ units: 32, activation: 'relu', noise: 0.001, seed: 7 });
  });

  it('merges overrides over the factory options and ignores undefined values', () => {
    const base = parseOptions({ units: 24, activation: 'linear' });
    expect(parseOptions({ units: undefined, seed: 3 }, base)).toEqual({ units: 24, activation: 'linear', noise: 0, seed: 3 });
  });

  it.each([
    [{ units: 'abc' }, /"units" is "abc"; expected an integer from 1 to 1000000/],
    [{ units: '3.5' }, /"units" is "3.5"/],
    [{ units: 0 }, /"units" is 0/],
    [{ units: -4 }, /"units" is -4/],
    [{ units: '' }, /"units" is ""/],
    [{ units: Number.NaN }, /"units" is NaN/],
    [{ units: 1e9 }, /"units" is 1000000000/],
    [{ activation: 'sigmoid' }, /"activation" is "sigmoid"; expected one of "auto", "relu", "linear"/],
    [{ activation: 3 }, /"activation" is 3/],
    [{ noise: '2' }, /"noise" is "2"; expected a number from 0 \(exact\) to 1/],
    [{ noise: -0.1 }, /"noise" is -0.1/],
    [{ seed: 1.5 }, /"seed" is 1.5/],
    [{ unit: 32 }, /no option "unit"; expected one of: units, activation, noise, seed/],
    ['units=32', /must be an object/],
  ])('refuses %j', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });
});
