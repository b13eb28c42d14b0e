import { describe, expect, it } from 'vitest';
import { flopsToReach, headline, lossAtFlops, spread, summarise, type GptExperimentReport } from './gpt-report.js';
import type { LossPoint } from './lm-train.js';

const run = (...pairs: [number, number][]): LossPoint[] => pairs.map(([flops, testLoss], step) => ({ step, testLoss, flops }));

describe('lossAtFlops', () => {
  const points = run([0, 4], [10, 3], [20, 2]);
  it('interpolates between evaluations and holds the end exactly', () => {
    expect(lossAtFlops(points, 0)).toBe(4);
    expect(lossAtFlops(points, 15)).toBe(2.5);
    expect(lossAtFlops(points, 20)).toBe(2);
  });
  it('is NaN outside the run', () => {
    expect(lossAtFlops(points, -1)).toBeNaN();
    expect(lossAtFlops(points, 21)).toBeNaN();
    expect(lossAtFlops([], 0)).toBeNaN();
  });
});

describe('flopsToReach', () => {
  it('finds the first crossing, interpolated', () => {
    expect(flopsToReach(run([0, 4], [10, 3], [20, 2], [30, 2.5]), 2.5)).toBe(15);
    expect(flopsToReach(run([5, 2]), 3)).toBe(5);
  });
  it('is null when the run never gets there', () => {
    expect(flopsToReach(run([0, 4], [10, 3]), 2.9)).toBeNull();
  });
});

describe('headline', () => {
  it('compares grown and scratch at the grown run\'s FLOPs and measures the FLOPs to reach scratch\'s final loss', () => {
    const base = run([0, 4], [10, 3]);
    const grown = [{ step: 10, testLoss: 2.5, flops: 20 }, { step: 20, testLoss: 2, flops: 30 }];
    const scratch = run([0, 4], [15, 3], [30, 2.6]);
    const h = headline(base, grown, scratch);
    expect(h.grownFinalLoss).toBe(2);
    expect(h.scratchLossAtEqualFlops).toBe(2.6);
    expect(h.lossDifference).toBeCloseTo(-0.6, 12);
    expect(h.scratchFlops).toBe(30);
    // base → grown first reaches 2.6 between (10, 3) and (20, 2.5): 10 + 0.4 / 0.5 · 10 = 18.
    expect(h.flopsToReachScratchFinal).toBeCloseTo(18, 12);
    expect(h.computeRatio).toBeCloseTo(0.6, 12);
    expect(h.reachedBeforeGrowth).toBe(false);
    // A from-scratch run that ends above the base's final loss was beaten before the growth.
    expect(headline(base, grown, run([0, 4], [30, 3.5])).reachedBeforeGrowth).toBe(true);
  });

  it('says null when the grown run never reaches the from-scratch loss', () => {
    const h = headline(run([0, 4], [10, 3]), [{ step: 10, testLoss: 2.8, flops: 20 }], run([0, 4], [20, 2]));
    expect(h.flopsToReachScratchFinal).toBeNull();
    expect(h.computeRatio).toBeNull();
    expect(h.lossDifference).toBeCloseTo(0.8, 12);
  });
});

describe('summarise', () => {
  it('gives mean and sample spread per strategy over seeds, counting the seeds that reached', () => {
    expect(spread([1, 2, 3])).toEqual({ mean: 2, min: 1, max: 3, std: 1, n: 3 });
    expect(spread([5]).std).toBe(0);
    const experiment = (strategy: string, seed: number, grownFinalLoss: number, computeRatio: number | null) =>
      ({ strategy, seed, headline: { grownFinalLoss, scratchLossAtEqualFlops: 2, lossDifference: grownFinalLoss - 2, scratchFlops: 1, flopsToReachScratchFinal: computeRatio, computeRatio, reachedBeforeGrowth: seed === 2 } }) as unknown as GptExperimentReport;
    const [a, b] = summarise([experiment('a', 1, 1.5, 0.5), experiment('b', 1, 3, null), experiment('a', 2, 2.5, 0.7)]);
    expect(a).toMatchObject({ strategy: 'a', seeds: [1, 2], reached: 2, reachedBeforeGrowth: 1, grownFinalLoss: { mean: 2 }, lossDifference: { mean: 0 } });
    expect(a?.computeRatio?.mean).toBeCloseTo(0.6, 12);
    expect(b).toMatchObject({ strategy: 'b', reached: 0, computeRatio: null });
  });
});
