import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from './errors.js';
import { outputShapeOf } from './graph/queries.js';
import { toGraph } from './graph/to-graph.js';
import { plannedStrategy } from './planned-strategy.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Accepts layers whose output is at most `max` wide; "builds" by returning the graph with a marker in metadata. */
function widthLimited(factoryOptions?: unknown) {
  return plannedStrategy<{ max: number }, { width: number }>(
    {
      name: 'width-limited',
      description: 'test strategy',
      options: (raw, base = { max: 8 }) => {
        const max = (raw as { max?: unknown } | undefined)?.max;
        if (max === undefined) return base;
        if (typeof max !== 'number') throw new GraftError('INVALID_OPTION', 'max must be a number');
        return { max };
      },
      plan: (graph, layer, { max }) => {
        const shape = outputShapeOf(graph, layer);
        const width = shape[shape.length - 1] ?? 0;
        return width <= max ? { ok: true, width } : { ok: false, reason: `output is ${width} wide, over ${max}`, code: 'NOT_EXACT' };
      },
      build: (graph, site, plan) => ({ graph: { ...graph, metadata: { built: `${site.after}:${plan.width}` } }, added: [site.after] }),
    },
    factoryOptions,
  );
}

describe('plannedStrategy', () => {
  const model = getFixture('multi-input-multi-output').build();
  const graph = toGraph(model);

  it('offers exactly the layers the plan accepts, and explains the others', () => {
    const strategy = widthLimited();
    expect(strategy.findSites(graph)).toEqual(['left', 'right', 'dense_1', 'dense_3', 'dense_5', 'dense_7', 'dense_9']);
    expect(strategy.explain?.(graph, 'concat')).toBe('output is 10 wide, over 8');
    expect(strategy.explain?.(graph, 'dense_1')).toBeUndefined();
  });

  it('re-plans with per-call options and refuses with the plan code and reason', () => {
    const strategy = widthLimited();
    expect(strategy.apply(graph, { after: 'concat' }, { max: 16 }).graph.metadata).toEqual({ built: 'concat:10' });
    expect(() => strategy.apply(graph, { after: 'concat' })).toThrowError(
      expect.objectContaining({ code: 'NOT_EXACT', message: 'Strategy "width-limited" does not apply after layer "concat": output is 10 wide, over 8.' }) as unknown as Error,
    );
  });

  it('validates factory options at once, and malformed sites', () => {
    expect(() => widthLimited({ max: 'x' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }) as unknown as Error);
    expect(() => widthLimited().apply(graph, null as never)).toThrowError(/needs a site/);
  });
});
