import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { toGraph, type ModelGraph, type SurgeryStrategy } from '@graft/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { widen } from './index.js';
import { DEFAULTS, targetWidth } from './options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function denseChainGraph(): ModelGraph {
  const model = getFixture('dense-chain-relu').build();
  const graph = toGraph(model);
  model.dispose();
  return graph;
}

/** The width widen gives dense_1 (8 units) with these options. */
function widthAfter(strategy: SurgeryStrategy, overrides?: Record<string, unknown>): unknown {
  return strategy.apply(denseChainGraph(), { after: 'dense_1' }, overrides).graph.nodes.find((n) => n.name === 'dense_1')?.config['units'];
}

/** A matcher for a GraftError INVALID_OPTION whose message matches `pattern`. */
const invalidOption = (pattern: RegExp): Error => expect.objectContaining({ name: 'GraftError', code: 'INVALID_OPTION', message: expect.stringMatching(pattern) as unknown }) as Error;
const untyped = (options: Record<string, unknown> = {}): SurgeryStrategy => widen(options);

describe('widen options', () => {
  it('parses CLI strings like numbers', () => {
    expect(widthAfter(untyped(), { units: '48', noise: '0.01', seed: ' 7 ' })).toBe(48);
    expect(widthAfter(untyped({ factor: '2' }))).toBe(16);
  });

  it('defaults to m = n + ceil(n / 2)', () => {
    expect([1, 20, 32, 5].map((n) => targetWidth(DEFAULTS, n))).toEqual([2, 30, 48, 8]);
  });

  it('rounds factors without floating-point surprises', () => {
    expect(targetWidth({ units: undefined, factor: 1.1 }, 10)).toBe(11);
    expect(targetWidth({ units: undefined, factor: 1.000001 }, 3)).toBe(4);
  });

  it('lets per-call units or factor replace the factory’s size', () => {
    expect(widthAfter(widen({ factor: 2, seed: 4 }), { units: 12 })).toBe(12);
    expect(widthAfter(widen({ units: 12 }), { factor: 3 })).toBe(24);
  });

  const bad: [Record<string, unknown>, RegExp][] = [
    [{ units: '12.5' }, /^widen: option "units" is "12.5"; expected an integer from 1 to 1000000\.$/],
    [{ factor: '1' }, /option "factor" is "1"; expected a number larger than 1/],
    [{ units: 8, factor: 2 }, /^widen: got options "units" and "factor"; expected at most one of units, factor\.$/],
    [{ noise: '2' }, /option "noise" is "2"; expected a number from 0 \(exact\) to 1/],
    [{ seed: '1.5' }, /option "seed" is "1.5"; expected an integer from 0 to 4294967295/],
    [{ unit: 8 }, /unknown option "unit"; expected one of: units, factor, noise, seed/],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)} with INVALID_OPTION, both in the factory and per call`, () => {
      expect(() => untyped(options)).toThrow(invalidOption(message));
      expect(() => untyped().apply(denseChainGraph(), { after: 'dense_1' }, options)).toThrow(invalidOption(message));
    });
  }

  it('refuses a target width m ≤ n, naming the width, and offers no layer that wide', () => {
    const graph = denseChainGraph();
    for (const units of [8, '8', 5]) {
      expect(() => untyped({ units }).apply(graph, { after: 'dense_1' })).toThrow(invalidOption(/does not apply after layer "dense_1": option "units" is \d+, but the layer already has 8; expected more than 8/));
    }
    expect(widen({ units: 8 }).findSites(graph)).toEqual([]);
    expect(widen({ units: 9 }).findSites(graph)).toEqual(['dense_1', 'dense_3']);
    expect(() => untyped().apply(graph, { after: 'dense_1' }, { units: '9' })).not.toThrow();
  });
});
