import { describe, expect, it } from 'vitest';
import { lossPlotSvg } from './loss-plot.js';

const points = (svg: string, cls: string) => new RegExp(`class="${cls}"[^>]*points="([^"]*)"`).exec(svg)?.[1]?.split(' ') ?? [];

describe('lossPlotSvg', () => {
  it('draws one point per step and a smoothed trend, inside the plot', () => {
    const svg = lossPlotSvg([2.3, 1.5, 1.9, 0.7], 360, 140);
    expect(points(svg, 'loss')).toHaveLength(4);
    expect(points(svg, 'trend')).toHaveLength(4);
    const ys = points(svg, 'loss').map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBeCloseTo(28); // the largest loss at the top margin
    expect(Math.max(...ys)).toBeCloseTo(112); // the smallest at the bottom margin
    expect(svg).toContain('2.300');
  });

  it('draws empty axes before the first step and no NaN for a single or flat series', () => {
    expect(lossPlotSvg([])).not.toContain('polyline');
    for (const losses of [[0.5], [0.5, 0.5]]) expect(lossPlotSvg(losses)).not.toContain('NaN');
  });
});
