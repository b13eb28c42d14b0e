import { seededRandom } from '@graft/core';
import { describe, expect, it } from 'vitest';
import { flattenReplication, gatherAxis, perturbNewUnits, replicationMapping } from './replication.js';

describe('replication', () => {
  it('keeps the first n units in place, draws the rest among them, and counts copies', () => {
    const { sources, counts, oldSize } = replicationMapping(4, 9, seededRandom(3));
    expect(oldSize).toBe(4);
    expect([...sources.slice(0, 4)]).toEqual([0, 1, 2, 3]);
    sources.forEach((s, j) => {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(4);
      expect(counts[j]).toBe(sources.filter((t) => t === s).length);
    });
    // Each unit's copies split its outgoing weight: the shares sum to 1 for every old unit.
    const shares = new Array<number>(4).fill(0);
    sources.forEach((s, j) => {
      shares[s]! += 1 / counts[j]!;
    });
    shares.forEach((share) => expect(share).toBeCloseTo(1, 12));
  });

  it('repeats the mapping for every flattened position, channels last', () => {
    const base = { sources: Int32Array.from([0, 1, 0]), counts: Int32Array.from([2, 1, 2]), oldSize: 2 };
    const flat = flattenReplication(base, 2);
    expect([...flat.sources]).toEqual([0, 1, 0, 2, 3, 2]);
    expect([...flat.counts]).toEqual([2, 1, 2, 2, 1, 2]);
    expect(flat.oldSize).toBe(4);
  });

  it('copies slices along an axis, dividing by the count when asked', () => {
    const replication = { sources: Int32Array.from([0, 1, 0]), counts: Int32Array.from([2, 1, 2]), oldSize: 2 };
    // shape [2, 2]: rows [1, 2], [3, 4]
    const values = Float32Array.from([1, 2, 3, 4]);
    expect(gatherAxis(values, [2, 2], 1, replication, false)).toEqual({ values: Float32Array.from([1, 2, 1, 3, 4, 3]), shape: [2, 3] });
    expect(gatherAxis(values, [2, 2], 0, replication, true)).toEqual({ values: Float32Array.from([0.5, 1, 3, 4, 0.5, 1]), shape: [3, 2] });
  });

  it('perturbs only the new units, within noise · |w|, and not at all without noise', () => {
    const values = Float32Array.from([1, -2, 3, 4, 5, -6]);
    expect(perturbNewUnits(values, 3, 2, 0, 1)).toBe(values);
    const noisy = perturbNewUnits(values, 3, 2, 0.1, 1);
    [0, 1, 3, 4].forEach((i) => expect(noisy[i]).toBe(values[i]));
    [2, 5].forEach((i) => {
      expect(noisy[i]).not.toBe(values[i]);
      expect(Math.abs(noisy[i]! - values[i]!)).toBeLessThanOrEqual(0.1 * Math.abs(values[i]!) + 1e-6);
    });
  });
});
