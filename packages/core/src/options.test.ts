import { describe, expect, it } from 'vitest';
import { isGraftError } from './errors.js';
import { booleanOption, choiceOption, integerOption, numberOption, readOptions, standardOptions, type OptionSpec } from './options.js';

const spec = {
  units: integerOption({ min: 1, max: 100 }),
  size: integerOption({ min: 1, max: 31, odd: true, text: 'number' }),
  noise: numberOption({ min: 0, max: 1 }),
  factor: numberOption({ above: 1 }),
  mode: choiceOption(['auto', 'relu']),
  verbose: booleanOption(),
} satisfies OptionSpec;

function refusal(raw: unknown, fields: OptionSpec = spec): string {
  try {
    readOptions('demo', raw, fields);
  } catch (error) {
    expect(isGraftError(error, 'INVALID_OPTION')).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('readOptions', () => {
  it('gives every key of the spec, undefined where not given', () => {
    const none = { units: undefined, size: undefined, noise: undefined, factor: undefined, mode: undefined, verbose: undefined };
    expect(readOptions('demo', undefined, spec)).toEqual(none);
    expect(readOptions('demo', {}, spec)).toEqual(none);
    expect(readOptions('demo', { units: undefined, noise: 0.5 }, spec)).toEqual({ ...none, noise: 0.5 });
  });

  it('reads numbers, and text from the command line', () => {
    expect(readOptions('demo', { units: 32, size: 5, noise: 0, factor: 1.5, mode: 'relu', verbose: true }, spec)).toEqual({ units: 32, size: 5, noise: 0, factor: 1.5, mode: 'relu', verbose: true });
    expect(readOptions('demo', { units: ' +32 ', size: '1.1e1', noise: '1e-3', factor: '.5e1', mode: ' auto ', verbose: 'false' }, spec)).toEqual({ units: 32, size: 11, noise: 0.001, factor: 5, mode: 'auto', verbose: false });
  });

  it('reads integer text as digits only, unless the field takes number text', () => {
    expect(readOptions('demo', { size: '7.0' }, spec).size).toBe(7);
    expect(readOptions('demo', { size: ' 1.3e1 ' }, spec).size).toBe(13);
    for (const text of ['1e2', '32.0', '0x10', '0b1', '1_0', '']) expect(refusal({ units: text })).toBe(`demo: option "units" is ${JSON.stringify(text)}; expected an integer from 1 to 100.`);
  });

  it.each([
    [{ units: 0 }, 'demo: option "units" is 0; expected an integer from 1 to 100.'],
    [{ units: 101 }, 'demo: option "units" is 101; expected an integer from 1 to 100.'],
    [{ units: 2.5 }, 'demo: option "units" is 2.5; expected an integer from 1 to 100.'],
    [{ units: Number.NaN }, 'demo: option "units" is NaN; expected an integer from 1 to 100.'],
    [{ units: Number.POSITIVE_INFINITY }, 'demo: option "units" is Infinity; expected an integer from 1 to 100.'],
    [{ units: null }, 'demo: option "units" is null; expected an integer from 1 to 100.'],
    [{ units: true }, 'demo: option "units" is true; expected an integer from 1 to 100.'],
    [{ units: [3] }, 'demo: option "units" is [3]; expected an integer from 1 to 100.'],
    [{ size: 4 }, 'demo: option "size" is 4; expected an odd integer from 1 to 31.'],
    [{ size: '2' }, 'demo: option "size" is "2"; expected an odd integer from 1 to 31.'],
    [{ size: '3.5' }, 'demo: option "size" is "3.5"; expected an odd integer from 1 to 31.'],
    [{ noise: '2' }, 'demo: option "noise" is "2"; expected a number from 0 to 1.'],
    [{ noise: -0.1 }, 'demo: option "noise" is -0.1; expected a number from 0 to 1.'],
    [{ noise: '1e400' }, 'demo: option "noise" is "1e400"; expected a number from 0 to 1.'],
    [{ noise: 'Infinity' }, 'demo: option "noise" is "Infinity"; expected a number from 0 to 1.'],
    [{ factor: '0x10' }, 'demo: option "factor" is "0x10"; expected a number larger than 1.'],
    [{ factor: 1 }, 'demo: option "factor" is 1; expected a number larger than 1.'],
    [{ mode: 'tanh' }, 'demo: option "mode" is "tanh"; expected one of "auto", "relu".'],
    [{ mode: 3 }, 'demo: option "mode" is 3; expected one of "auto", "relu".'],
    [{ verbose: 'yes' }, 'demo: option "verbose" is "yes"; expected true or false.'],
    [{ verbose: 1 }, 'demo: option "verbose" is 1; expected true or false.'],
    [{ unit: 3 }, 'demo: unknown option "unit"; expected one of: units, size, noise, factor, mode, verbose.'],
    [{ unit: undefined }, 'demo: unknown option "unit"; expected one of: units, size, noise, factor, mode, verbose.'],
    ['units=3', 'demo: options must be an object with the keys units, size, noise, factor, mode, verbose; got string.'],
    [null, 'demo: options must be an object with the keys units, size, noise, factor, mode, verbose; got null.'],
    [[1], 'demo: options must be an object with the keys units, size, noise, factor, mode, verbose; got an array.'],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('checks unknown keys before values, and values in the order of the spec', () => {
    expect(refusal({ units: 0, unit: 3 })).toMatch(/unknown option "unit"/);
    expect(refusal({ noise: 5, units: 0 })).toMatch(/"units" is 0/);
  });

  it('words every refusal one way, showing the value as given', () => {
    expect(refusal({ noise: '2' })).toBe('demo: option "noise" is "2"; expected a number from 0 to 1.');
    expect(refusal({ units: '99999999999999999999' })).toBe('demo: option "units" is "99999999999999999999"; expected an integer from 1 to 100.');
    expect(refusal(7)).toBe('demo: options must be an object with the keys units, size, noise, factor, mode, verbose; got number.');
  });

  it('gives shared option names one set of bounds', () => {
    expect(standardOptions.seed.read('4294967295')).toEqual({ ok: true, value: 4294967295 });
    expect(standardOptions.seed.read(-1)).toEqual({ ok: false });
    expect(standardOptions.kernelSize.read(' 5 ')).toEqual({ ok: true, value: 5 });
    expect(standardOptions.kernelSize.read(33)).toEqual({ ok: false });
    expect(standardOptions.noise.read('1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(standardOptions.units.read('1000001')).toEqual({ ok: false });
  });

  it('uses the expected text a field gives', () => {
    const fields = { seed: integerOption({ expected: 'a whole number' }), gate: choiceOption(['relu', 'tanh'], { expected: 'one of relu, tanh' }) };
    expect(refusal({ seed: '1.5' }, fields)).toBe('demo: option "seed" is "1.5"; expected a whole number.');
    expect(refusal({ gate: 'x' }, fields)).toBe('demo: option "gate" is "x"; expected one of relu, tanh.');
    expect(readOptions('demo', { seed: '-7' }, fields).seed).toBe(-7);
    expect(refusal({ seed: 2 ** 53 }, fields)).toMatch(/"seed" is 9007199254740992/);
  });

  it('describes bounds in the default expected text', () => {
    expect(integerOption().expected).toBe('an integer');
    expect(integerOption({ min: 1 }).expected).toBe('an integer of at least 1');
    expect(integerOption({ max: 9, odd: true }).expected).toBe('an odd integer of at most 9');
    expect(numberOption({ min: 0, above: 1 }).expected).toBe('a number of at least 0 larger than 1');
  });
});
