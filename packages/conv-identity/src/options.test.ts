import { thrownBy } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { convIdentity } from './index.js';

describe('conv-identity options', () => {
  it('takes kernel sizes with a centre tap, as numbers or text', () => {
    expect(() => convIdentity({ kernelSize: 31 })).not.toThrow();
    expect(() => convIdentity({ kernelSize: ' 7 ' } as never)).not.toThrow();
  });

  it.each([
    [{ kernelSize: 4 }, 'conv-identity: option "kernelSize" is 4; expected an odd integer from 1 to 31 (so "same" padding is centred).'],
    [{ kernelSize: '2' }, 'conv-identity: option "kernelSize" is "2"; expected an odd integer from 1 to 31 (so "same" padding is centred).'],
    [{ kernelSize: 33 }, 'conv-identity: option "kernelSize" is 33; expected an odd integer from 1 to 31 (so "same" padding is centred).'],
    [{ activation: 'tanh' }, 'conv-identity: option "activation" is "tanh"; expected one of "auto", "relu", "linear".'],
    [{ noise: 1.5 }, 'conv-identity: option "noise" is 1.5; expected a number from 0 (exact) to 1.'],
    [{ seed: -1 }, 'conv-identity: option "seed" is -1; expected an integer from 0 to 4294967295.'],
    [{ kernel_size: 3 }, 'conv-identity: unknown option "kernel_size"; expected one of: kernelSize, activation, noise, seed.'],
  ])('refuses %j', (raw, message) => {
    expect(thrownBy(() => convIdentity(raw as never))).toEqual({ code: 'INVALID_OPTION', message });
  });
});
