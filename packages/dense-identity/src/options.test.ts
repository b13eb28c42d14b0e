import { getFixture, thrownBy } from '@graft/fixtures';
import { toGraph, type SurgeryStrategy } from '@graft/core';
import { describe, expect, it } from 'vitest';
import { denseIdentity } from './index.js';

describe('dense-identity options', () => {
  it('reads strings from the command line per call, merged over the factory options', () => {
    const model = getFixture('dense-chain-linear').build();
    const graph = toGraph(model);
    model.dispose();
    const strategy: SurgeryStrategy = denseIdentity({ units: 12, activation: 'linear' });
    const added = strategy.apply(graph, { after: 'dense_1' }, { units: undefined, seed: '7', noise: '1e-3' }).graph.nodes.find((n) => n.name === 'dense_1_identity');
    expect(added?.weights[0]?.shape).toEqual([8, 12]);
    expect(added?.config['activation']).toBe('linear');
  });

  it.each([
    [{ units: 'abc' }, 'dense-identity: option "units" is "abc"; expected an integer from 1 to 1000000.'],
    [{ units: 0 }, 'dense-identity: option "units" is 0; expected an integer from 1 to 1000000.'],
    [{ units: 1e9 }, 'dense-identity: option "units" is 1000000000; expected an integer from 1 to 1000000.'],
    [{ activation: 'sigmoid' }, 'dense-identity: option "activation" is "sigmoid"; expected one of "auto", "relu", "linear".'],
    [{ noise: '2' }, 'dense-identity: option "noise" is "2"; expected a number from 0 (exact) to 1.'],
    [{ seed: 1.5 }, 'dense-identity: option "seed" is 1.5; expected an integer from 0 to 4294967295.'],
    [{ unit: 32 }, 'dense-identity: unknown option "unit"; expected one of: units, activation, noise, seed.'],
    ['units=32', 'dense-identity: options must be an object with the keys units, activation, noise, seed; got string.'],
  ])('refuses %j', (raw, message) => {
    expect(thrownBy(() => denseIdentity(raw as never))).toEqual({ code: 'INVALID_OPTION', message });
  });
});
