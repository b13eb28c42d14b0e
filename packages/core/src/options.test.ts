import { describe, expect, it } from 'vitest';
import { isGraftError } from './errors.js';
import { booleanOption, choiceOption, integerOption, numberOption, readOptions, type OptionSpec, type OptionWording } from './options.js';

const spec = {
  units: integerOption({ min: 1, max: 100 }),
  size: integerOption({ min: 1, max: 31, odd: true, text: 'number' }),
  noise: numberOption({ min: 0, max: 1 }),
  factor: numberOption({ above: 1 }),
  mode: choiceOption(['auto', 'relu']),
  verbose: booleanOption(),
} satisfies OptionSpec;

function refusal(raw: unknown, wording?: OptionWording, fields: OptionSpec = spec): string {
  try {
    readOptions('demo', raw, fields, wording);
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
    for (const text of ['1e2', '32.0', '0x10', '0b1', '1_0', '']) expect(refusal({ units: text })).toBe(`demo option "units" is ${JSON.stringify(text)}; expected an integer from 1 to 100.`);
  });

  it.each([
    [{ units: 0 }, 'demo option "units" is 0; expected an integer from 1 to 100.'],
    [{ units: 101 }, 'demo option "units" is 101; expected an integer from 1 to 100.'],
    [{ units: 2.5 }, 'demo option "units" is 2.5; expected an integer from 1 to 100.'],
    [{ units: Number.NaN }, 'demo option "units" is NaN; expected an integer from 1 to 100.'],
    [{ units: Number.POSITIVE_INFINITY }, 'demo option "units" is Infinity; expected an integer from 1 to 100.'],
    [{ units: null }, 'demo option "units" is null; expected an integer from 1 to 100.'],
    [{ units: true }, 'demo option "units" is true; expected an integer from 1 to 100.'],
    [{ units: [3] }, 'demo option "units" is [3]; expected an integer from 1 to 100.'],
    [{ size: 4 }, 'demo option "size" is 4; expected an odd integer from 1 to 31.'],
    [{ size: '2' }, 'demo option "size" is "2"; expected an odd integer from 1 to 31.'],
    [{ size: '3.5' }, 'demo option "size" is "3.5"; expected an odd integer from 1 to 31.'],
    [{ noise: '2' }, 'demo option "noise" is "2"; expected a number from 0 to 1.'],
    [{ noise: -0.1 }, 'demo option "noise" is -0.1; expected a number from 0 to 1.'],
    [{ noise: '1e400' }, 'demo option "noise" is "1e400"; expected a number from 0 to 1.'],
    [{ noise: 'Infinity' }, 'demo option "noise" is "Infinity"; expected a number from 0 to 1.'],
    [{ factor: '0x10' }, 'demo option "factor" is "0x10"; expected a number larger than 1.'],
    [{ factor: 1 }, 'demo option "factor" is 1; expected a number larger than 1.'],
    [{ mode: 'tanh' }, 'demo option "mode" is "tanh"; expected one of "auto", "relu".'],
    [{ mode: 3 }, 'demo option "mode" is 3; expected one of "auto", "relu".'],
    [{ verbose: 'yes' }, 'demo option "verbose" is "yes"; expected true or false.'],
    [{ verbose: 1 }, 'demo option "verbose" is 1; expected true or false.'],
    [{ unit: 3 }, 'demo has no option "unit"; expected one of: units, size, noise, factor, mode, verbose.'],
    [{ unit: undefined }, 'demo has no option "unit"; expected one of: units, size, noise, factor, mode, verbose.'],
    ['units=3', 'demo options must be an object, got string.'],
    [null, 'demo options must be an object, got null.'],
    [[1], 'demo options must be an object, got an array.'],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('checks unknown keys before values, and values in the order of the spec', () => {
    expect(refusal({ units: 0, unit: 3 })).toMatch(/no option "unit"/);
    expect(refusal({ noise: 5, units: 0 })).toMatch(/"units" is 0/);
  });

  it('words messages as the strategy asks', () => {
    const colon: OptionWording = { colon: true, example: '{ units: 32 }' };
    expect(refusal({ units: 'x' }, colon)).toBe('demo: option "units" is "x"; expected an integer from 1 to 100.');
    expect(refusal({ unit: 3 }, colon)).toBe('demo: unknown option "unit"; expected one of: units, size, noise, factor, mode, verbose.');
    expect(refusal(7, colon)).toBe('demo: options must be an object like { units: 32 }; got number.');
    expect(refusal(7, { example: '{ units: 32 }' })).toBe('demo options must be an object like { units: 32 }, got number.');
    const mustBe: OptionWording = { colon: true, sentence: 'must-be' };
    expect(refusal({ units: '0' }, mustBe)).toBe('demo: option "units" must be an integer from 1 to 100; got "0".');
    expect(refusal({ units: Number.NaN }, mustBe)).toBe('demo: option "units" must be an integer from 1 to 100; got NaN.');
  });

  it('shows an out-of-range number as read when asked, and text that does not parse as given', () => {
    const showRead: OptionWording = { colon: true, showRead: true };
    expect(refusal({ noise: '2' }, showRead)).toBe('demo: option "noise" is 2; expected a number from 0 to 1.');
    expect(refusal({ factor: ' 1 ' }, showRead)).toBe('demo: option "factor" is 1; expected a number larger than 1.');
    expect(refusal({ noise: 'lots' }, showRead)).toBe('demo: option "noise" is "lots"; expected a number from 0 to 1.');
    expect(refusal({ units: '99999999999999999999' }, showRead)).toBe('demo: option "units" is "99999999999999999999"; expected an integer from 1 to 100.');
  });

  it('uses the expected text a field gives', () => {
    const fields = { seed: integerOption({ expected: 'a whole number' }), gate: choiceOption(['relu', 'tanh'], { expected: 'one of relu, tanh' }) };
    expect(refusal({ seed: '1.5' }, {}, fields)).toBe('demo option "seed" is "1.5"; expected a whole number.');
    expect(refusal({ gate: 'x' }, {}, fields)).toBe('demo option "gate" is "x"; expected one of relu, tanh.');
    expect(readOptions('demo', { seed: '-7' }, fields).seed).toBe(-7);
    expect(refusal({ seed: 2 ** 53 }, {}, fields)).toMatch(/"seed" is 9007199254740992/);
  });

  it('describes bounds in the default expected text', () => {
    expect(integerOption().expected).toBe('an integer');
    expect(integerOption({ min: 1 }).expected).toBe('an integer of at least 1');
    expect(integerOption({ max: 9, odd: true }).expected).toBe('an odd integer of at most 9');
    expect(numberOption({ min: 0, above: 1 }).expected).toBe('a number of at least 0 larger than 1');
  });
});
