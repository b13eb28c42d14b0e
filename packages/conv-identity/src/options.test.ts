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
  it('defaults to an exact 3×3 identity with the activation chosen per site', () => {
    expect(parseOptions(undefined)).toEqual({ kernelSize: 3, activation: 'auto', noise: 0, seed: 1 });
    expect(parseOptions({})).toEqual(DEFAULT_OPTIONS);
  });

  it('reads strings from the command line and merges them over the factory options', () => {
    const base = parseOptions({ kernelSize: 5 });
    expect(parseOptions({ activation: 'linear', noise: '0.001', seed: '9' }, base)).toEqual({ kernelSize: 5, activation: 'linear', noise: 0.001, seed: 9 });
    expect(parseOptions({ kernelSize: ' 7 ' }).kernelSize).toBe(7);
  });

  it.each([
    [{ kernelSize: 4 }, /"kernelSize" is 4; expected an odd integer from 1 to 31 \(an even kernel has no centre tap\)/],
    [{ kernelSize: '2' }, /"kernelSize" is "2"/],
    [{ kernelSize: 33 }, /"kernelSize" is 33/],
    [{ kernelSize: 0 }, /"kernelSize" is 0/],
    [{ kernelSize: 'three' }, /"kernelSize" is "three"/],
    [{ kernelSize: 3.5 }, /"kernelSize" is 3.5/],
    [{ activation: 'tanh' }, /"activation" is "tanh"; expected one of "auto", "relu", "linear"/],
    [{ noise: 'lots' }, /"noise" is "lots"; expected a number from 0 \(exact\) to 1/],
    [{ noise: 1.5 }, /"noise" is 1.5/],
    [{ seed: -1 }, /"seed" is -1/],
    [{ kernel_size: 3 }, /no option "kernel_size"; expected one of: kernelSize, activation, noise, seed/],
    [[3], /must be an object/],
  ])('refuses %j', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });
});
