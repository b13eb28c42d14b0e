import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { wideDenseStack, wideDenseStackParams } from './wide-dense-stack.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('wideDenseStack', () => {
  it('counts 67,125,248 parameters at its defaults', () => {
    expect(wideDenseStackParams()).toBe(67_125_248);
  });

  it('builds depth layers of width units with that many parameters, the same for the same seed', () => {
    const a = wideDenseStack({ width: 16, depth: 3, seed: 5 });
    const b = wideDenseStack({ width: 16, depth: 3, seed: 5 });
    const c = wideDenseStack({ width: 16, depth: 3, seed: 6 });
    expect(a.layers.map((l) => l.name)).toEqual(['dense_1', 'dense_2', 'dense_3']);
    expect(a.countParams()).toBe(wideDenseStackParams({ width: 16, depth: 3 }));
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(a.getWeights().map((w) => Array.from(w.dataSync())));
    expect(Array.from(c.getWeights()[0]!.dataSync())).not.toEqual(Array.from(a.getWeights()[0]!.dataSync()));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => wideDenseStack({ width: 0 })).toThrowError(/width must be a positive integer, got 0/);
    expect(() => wideDenseStack({ depth: 1.5 })).toThrowError(/depth must be a positive integer, got 1.5/);
  });
});
