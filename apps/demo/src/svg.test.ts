import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceTicks } from './svg.js';

const numbers = (svg: string, attribute: string): number[] =>
  [...svg.matchAll(new RegExp(` ${attribute}="(-?[\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('niceTicks', () => {
  it.each([
    [97.38, 98.31],
    [0.05, 0.09],
    [0, 100],
    [-3, 7],
    [1e-7, 3e-7],
  ])('covers %d..%d with evenly spaced round steps', (min, max) => {
    const ticks = niceTicks(min, max);
    expect(ticks[0]).toBeLessThanOrEqual(min);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(8);
    const steps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    for (const step of steps) expect(step).toBeCloseTo(steps[0] as number, 9);
    const mantissa = (steps[0] as number) / 10 ** Math.floor(Math.log10(steps[0] as number));
    expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
  });

  it('widens a flat range around its value', () => {
    const ticks = niceTicks(97.66, 97.66);
    expect(ticks[0]).toBeLessThan(97.66);
    expect(ticks.at(-1)).toBeGreaterThan(97.66);
    expect(niceTicks(0, 0)).toContain(0);
  });
});

describe('lineChart', () => {
  const chart = (series: Parameters<typeof lineChart>[0]['series'], markers = [{ x: 2, label: 'grown' }]) =>
    lineChart({ title: 'Test accuracy', xLabel: 'epoch', yLabel: 'acc', series, markers, width: 600, height: 300 });

  it('draws one path and one dot per point for each series, inside the view box', () => {
    const svg = chart([
      { name: 'a', color: '#111', points: [{ x: 1, y: 97.38 }, { x: 2, y: 97.66 }, { x: 3, y: 98.19 }] },
      { name: 'b', color: '#222', dashed: true, points: [{ x: 1, y: 90 }, { x: 4, y: 98.5 }] },
    ]);
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('stroke-dasharray="6 4"');
    for (const x of [...numbers(svg, 'cx'), ...numbers(svg, 'x1'), ...numbers(svg, 'x2')]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(600);
    }
    for (const y of [...numbers(svg, 'cy'), ...numbers(svg, 'y1'), ...numbers(svg, 'y2')]) {
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(300);
    }
  });

  it('puts higher values higher on the page and later epochs further right', () => {
    const svg = chart([{ name: 'a', color: '#111', points: [{ x: 1, y: 1 }, { x: 3, y: 2 }] }]);
    const [cx1, cx2] = numbers(svg, 'cx') as [number, number];
    const [cy1, cy2] = numbers(svg, 'cy') as [number, number];
    expect(cx2).toBeGreaterThan(cx1);
    expect(cy2).toBeLessThan(cy1);
  });

  it('leaves out non-finite points and breaks the line there', () => {
    const svg = chart([{ name: 'a', color: '#111', points: [{ x: 1, y: 1 }, { x: 2, y: NaN }, { x: 3, y: 2 }, { x: 4, y: 3 }] }]);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('names each point in its tooltip', () => {
    const svg = chart([{ name: 'a', color: '#111', points: [{ x: 1, y: 97.5, label: 'grown before training' }, { x: 2, y: 98 }] }]);
    expect(svg).toContain('<title>a: grown before training, 97.50</title>');
    expect(svg).toContain('<title>a: epoch 2, 98.00</title>');
  });

  it('says "no data" rather than drawing an empty frame', () => {
    expect(chart([{ name: 'a', color: '#111', points: [] }])).toContain('no data');
  });

  it('escapes names, so a strategy name cannot inject markup', () => {
    const svg = chart([{ name: '<script>alert("x")</script>', color: '#111', points: [{ x: 1, y: 1 }] }]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
  });

  it('has no external references', () => {
    const svg = chart([{ name: 'a', color: '#111', points: [{ x: 1, y: 1 }] }]);
    expect(svg).not.toMatch(/https?:|href|<script|<image/i);
  });
});

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&#60;b&#62;&#38;&#34;c&#34;&#39;');
  });
});
