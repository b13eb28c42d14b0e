import { describe, expect, it } from 'vitest';
import { chartSeries, renderHtml } from './html.js';
import { sampleExperiment, sampleReport } from './test-support/sample-report.js';

describe('renderHtml', () => {
  it('is one self-contained page: inline SVG plots, no scripts, no external references', () => {
    const html = renderHtml(sampleReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  });

  it('shows a table per experiment with the write-up beside the measurements', () => {
    const html = renderHtml(sampleReport());
    expect(html.match(/<table>/g)).toHaveLength(2);
    expect(html).toContain('<tr><td>grown before training</td><td class="num">0.0712</td><td class="num">97.66</td><td class="num">= base</td></tr>');
    expect(html).toContain('Growing preserved the function');
  });

  it('puts a red banner at the top when growing changed the model', () => {
    const broken = sampleExperiment({ grownBeforeTraining: { testLoss: 0.5, testAccuracy: 90, maxAbsDiff: 0.3 }, preserved: false });
    const html = renderHtml(sampleReport({ experiments: [broken] }));
    expect(html).toMatch(/<p class="alert">NOT PRESERVED/);
  });

  it('states the from-scratch verdict when there is one', () => {
    const scratch = [1, 2, 3, 4].map((epoch) => ({ epoch, testLoss: 0.2, testAccuracy: 97 + epoch / 10 }));
    const html = renderHtml(sampleReport({ experiments: [sampleExperiment({ scratch, verdict: 'growing won' })] }));
    expect(html).toContain('Growing vs training from scratch');
    expect(html).toContain('growing won for dense-identity');
  });

  it('escapes every value taken from the report', () => {
    const html = renderHtml(sampleReport({ experiments: [sampleExperiment({ strategy: '<b>x</b>', site: '"&' })] }));
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62;');
  });
});

describe('chartSeries', () => {
  it('draws each experiment on one epoch axis: base, grown before training at the last base epoch, then grown', () => {
    const [line] = chartSeries([sampleExperiment()], 'testAccuracy');
    expect(line?.points).toEqual([
      { x: 1, y: 97.38, label: 'base epoch 1' },
      { x: 2, y: 97.66, label: 'base epoch 2' },
      { x: 2, y: 97.66, label: 'grown before training' },
      { x: 3, y: 98.19, label: 'grown epoch 1' },
      { x: 4, y: 98.31, label: 'grown epoch 2' },
    ]);
  });

  it('adds a dashed line per from-scratch run, on the same axis', () => {
    const scratch = [1, 2, 3, 4].map((epoch) => ({ epoch, testLoss: epoch, testAccuracy: 90 }));
    const series = chartSeries([sampleExperiment({ scratch }), sampleExperiment({ strategy: 'conv-gate' })], 'testLoss');
    expect(series.map((s) => [s.name, s.dashed ?? false])).toEqual([
      ['base → dense-identity', false],
      ['dense-identity from scratch', true],
      ['base → conv-gate', false],
    ]);
    expect(series[1]?.points.map((p) => p.x)).toEqual([1, 2, 3, 4]);
  });
});
