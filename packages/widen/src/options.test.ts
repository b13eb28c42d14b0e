import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { GraftError, toGraph } from '@graft/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { widen } from './index.js';
import { parseWidenOptions, targetWidth } from './options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function denseChainGraph() {
  const model = getFixture('dense-chain-relu').build();
  const graph = toGraph(model);
  model.dispose();
  return graph;
}

const invalidOption = (pattern: RegExp) => expect.objectContaining({ name: 'GraftError', code: 'INVALID_OPTION', message: expect.stringMatching(pattern) });

describe('widen options', () => {
  it('parses CLI strings like numbers', () => {
    expect(parseWidenOptions({}, { units: '48', noise: '0.01', seed: ' 7 ' })).toEqual({ size: { units: 48 }, noise: 0.01, seed: 7 });
    expect(parseWidenOptions({ factor: '2' })).toEqual({ size: { factor: 2 }, noise: 0, seed: 1 });
  });

  it('defaults to m = n + ceil(n / 2), no noise, seed 1', () => {
    const parsed = parseWidenOptions();
    expect(parsed).toEqual({ size: { factor: 1.5 }, noise: 0, seed: 1 });
    expect([1, 20, 32, 5].map((n) => targetWidth(parsed.size, n, 'x'))).toEqual([2, 30, 48, 8]);
  });

  it('rounds factors without floating-point surprises', () => {
    expect(targetWidth({ factor: 1.1 }, 10, 'x')).toBe(11);
    expect(targetWidth({ factor: 1.000001 }, 3, 'x')).toBe(4);
  });

  it('lets per-call units or factor replace the factory’s size', () => {
    expect(parseWidenOptions({ factor: 2, seed: 4 }, { units: '12' })).toEqual({ size: { units: 12 }, noise: 0, seed: 4 });
    expect(parseWidenOptions({ units: 12 }, { factor: 3 })).toEqual({ size: { factor: 3 }, noise: 0, seed: 1 });
  });

  const bad: [Record<string, unknown>, RegExp][] = [
    [{ units: '12.5' }, /option "units" is "12.5"; expected a whole number/],
    [{ units: 'abc' }, /option "units" is "abc"/],
    [{ units: '' }, /option "units" is ""/],
    [{ units: '0x10' }, /option "units" is "0x10"/],
    [{ units: 1 }, /at least 2/],
    [{ units: true }, /option "units" is true/],
    [{ factor: '1' }, /option "factor" is 1; expected a number larger than 1/],
    [{ factor: 'x2' }, /option "factor" is "x2"/],
    [{ units: 8, factor: 2 }, /both "units" and "factor"/],
    [{ noise: '2' }, /option "noise" is 2; expected a number from 0 to 1/],
    [{ noise: -0.1 }, /option "noise"/],
    [{ seed: '1.5' }, /option "seed" is "1.5"; expected a whole number/],
    [{ unit: 8 }, /unknown option "unit"; expected one of: units, factor, noise, seed/],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)} with INVALID_OPTION, both in the factory and per call`, () => {
      expect(() => widen(options)).toThrow(invalidOption(message));
      const graph = denseChainGraph();
      expect(() => widen().apply(graph, { after: 'dense_1' }, options)).toThrow(invalidOption(message));
    });
  }

  it('refuses a target width m ≤ n, naming the layer and its width', () => {
    const graph = denseChainGraph();
    for (const units of [8, '8', 5]) {
      expect(() => widen({ units }).apply(graph, { after: 'dense_1' })).toThrow(invalidOption(/"units" is \d+, but layer "dense_1" already has 8; expected more than 8/));
    }
    expect(() => widen().apply(graph, { after: 'dense_1' }, { units: '9' })).not.toThrow();
  });

  it('messages are one line, in a GraftError', () => {
    try {
      widen({ units: 'many' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraftError);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
