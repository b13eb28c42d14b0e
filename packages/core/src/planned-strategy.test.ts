import { getFixture } from '@graft/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { isGraftError } from './errors.js';
import { outputShapeOf } from './graph/queries.js';
import { toGraph } from './graph/to-graph.js';
import { findSites, grow } from './grow.js';
import { integerOption, numberOption, standardOptions } from './options.js';
import { plannedStrategy, planOrRefuse, refuse } from './planned-strategy.js';
import type { SurgeryStrategy } from './strategy.js';

interface WidthLimitedOptions {
  readonly max?: number;
  readonly units?: number;
  readonly factor?: number;
  readonly seed?: number;
}

const SPEC = {
  name: 'width-limited',
  description: 'test strategy',
  options: { max: integerOption({ min: 1 }), units: standardOptions.units, factor: numberOption({ above: 1 }), seed: standardOptions.seed },
  defaults: { max: 8, units: undefined, factor: 2, seed: 1 },
  exclusive: [['units', 'factor']],
} as const;

/** Accepts layers whose output is at most `max` wide; "builds" by returning the graph with a marker in metadata. */
function widthLimited(options?: WidthLimitedOptions): SurgeryStrategy<WidthLimitedOptions> {
  return plannedStrategy(
    {
      ...SPEC,
      plan: (graph, layer, { max }) => {
        const shape = outputShapeOf(graph, layer);
        const width = shape[shape.length - 1] ?? 0;
        return width <= max ? { ok: true, width } : refuse(`output is ${width} wide, over ${max}`, 'NOT_EXACT');
      },
      build: (graph, site, plan, resolved) => ({ graph: { ...graph, metadata: { built: `${site.after}:${plan.width}`, units: resolved.units ?? null, factor: resolved.factor ?? null } }, added: [site.after] }),
    },
    options,
  );
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  throw new Error('expected a refusal');
}

describe('plannedStrategy', () => {
  const model = getFixture('multi-input-multi-output').build();
  const graph = toGraph(model);
  afterAll(() => model.dispose());

  it('offers exactly the layers the plan accepts, and explains the others', () => {
    const strategy = widthLimited();
    expect(strategy.findSites(graph)).toEqual(['left', 'right', 'dense_1', 'dense_3', 'dense_5', 'dense_7', 'dense_9']);
    expect(strategy.explain?.(graph, 'concat')).toBe('output is 10 wide, over 8');
    expect(strategy.explain?.(graph, 'dense_1')).toBeUndefined();
  });

  it('merges per-call options over the factory and the defaults, and refuses with the plan code and reason', () => {
    const strategy = widthLimited({ max: 9 });
    expect(strategy.apply(graph, { after: 'concat' }, { max: 16 }).graph.metadata).toEqual({ built: 'concat:10', units: null, factor: 2 });
    expect(messageOf(() => strategy.apply(graph, { after: 'concat' }))).toBe('NOT_EXACT: Strategy "width-limited" does not apply after layer "concat": output is 10 wide, over 9.');
  });

  it('reads text from the CLI and words every option refusal one way', () => {
    const untyped: SurgeryStrategy = widthLimited();
    expect(untyped.apply(graph, { after: 'concat' }, { max: '12' }).graph.metadata).toMatchObject({ built: 'concat:10' });
    expect(messageOf(() => untyped.apply(graph, { after: 'concat' }, { max: 'x' }))).toBe('INVALID_OPTION: width-limited: option "max" is "x"; expected an integer of at least 1.');
    expect(messageOf(() => untyped.apply(graph, { after: 'concat' }, { maxi: 3 }))).toBe('INVALID_OPTION: width-limited: unknown option "maxi"; expected one of: max, units, factor, seed.');
    expect(messageOf(() => widthLimited({ seed: -1 }))).toBe('INVALID_OPTION: width-limited: option "seed" is -1; expected an integer from 0 to 4294967295.');
  });

  it('lets a per-call member of an exclusive group replace the group, and refuses two members at once', () => {
    expect(widthLimited({ factor: 3 }).apply(graph, { after: 'dense_1' }, { units: 12 }).graph.metadata).toMatchObject({ units: 12, factor: null });
    expect(widthLimited({ units: 12 }).apply(graph, { after: 'dense_1' }).graph.metadata).toMatchObject({ units: 12, factor: null });
    expect(messageOf(() => widthLimited({ units: 12, factor: 3 }))).toBe('INVALID_OPTION: width-limited: got options "units" and "factor"; expected at most one of units, factor.');
  });

  it('type-checks per-call options of a typed strategy', async () => {
    // @ts-expect-error: units is a number; text is for strategies typed without options (the CLI's).
    await expect(grow(model, widthLimited(), { after: 'dense_1' }, { units: '24' })).resolves.toBeDefined();
    // @ts-expect-error: no such option.
    expect(() => widthLimited({ maxi: 3 })).toThrow(/unknown option "maxi"/);
  });

  it('refuses a spec that gives a shared option name bounds of its own, or a default its field refuses', () => {
    const own = { ...SPEC, options: { ...SPEC.options, seed: integerOption() }, plan: () => refuse('never'), build: () => ({ graph, added: [] }) };
    expect(messageOf(() => plannedStrategy(own))).toBe('INVALID_STRATEGY: Strategy "width-limited": option "seed" must use core\'s standardOptions.seed, so that "seed" has the same bounds in every strategy.');
    const badDefault = { ...SPEC, defaults: { ...SPEC.defaults, max: 0 }, plan: () => refuse('never'), build: () => ({ graph, added: [] }) };
    expect(messageOf(() => plannedStrategy(badDefault))).toMatch(/the default of option "max" is not an integer of at least 1/);
  });

  it('refuses malformed sites and the model-wide site', () => {
    expect(messageOf(() => widthLimited().apply(graph, null as never))).toMatch(/needs a site/);
    expect(messageOf(() => widthLimited().apply(graph, { after: '*' }))).toMatch(/^SITE_NOT_OFFERED: .*grows after a layer; "\*" is the site of model-wide strategies/);
  });
});

describe('a model-wide planned strategy', () => {
  const wholeModel = (maxLayers: number): SurgeryStrategy<{ readonly seed?: number }> =>
    plannedStrategy(
      {
        name: 'whole-model',
        description: 'test strategy that rewrites every layer',
        scope: 'model',
        options: { seed: standardOptions.seed },
        defaults: { seed: 1 },
        plan: (graph, layer) => (graph.nodes.length <= maxLayers ? { ok: true, layer } : refuse(`the model has ${graph.nodes.length} layers, over ${maxLayers}`)),
        build: (graph, _site, plan) => ({ graph: { ...graph, metadata: { planned: plan.layer } }, added: [graph.nodes[1]!.name] }),
      },
    );

  it('lists the single site "*" (or none), plans at "*" and refuses a layer name', () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    model.dispose();
    expect(wholeModel(10).scope).toBe('model');
    expect(findSites(graph, wholeModel(10))).toEqual(['*']);
    expect(findSites(graph, wholeModel(2))).toEqual([]);
    expect(wholeModel(2).explain?.(graph, '*')).toBe('the model has 4 layers, over 2');
    expect(wholeModel(10).apply(graph, { after: '*' }).graph.metadata).toEqual({ planned: '*' });
    expect(messageOf(() => wholeModel(10).apply(graph, { after: 'dense_1' }))).toBe('SITE_NOT_OFFERED: Strategy "whole-model" is model-wide; expected the site "*", got "dense_1".');
  });

  it('grows through grow(model, strategy, { after: "*" }) and says why a model is refused', async () => {
    const model = getFixture('dense-chain-relu').build();
    const grown = await grow(model, wholeModel(10), { after: '*' });
    expect(grown.added).toEqual(['dense_1']);
    const error = await grow(model, wholeModel(2), { after: '*' }).catch((e: unknown) => e);
    expect(isGraftError(error, 'SITE_NOT_OFFERED')).toBe(true);
    expect((error as Error).message).toBe('Strategy "whole-model" does not apply to this model: the model has 4 layers, over 2; it applies nowhere in this model.');
    const layerError = await grow(model, wholeModel(10), { after: 'dense_1' }).catch((e: unknown) => e);
    expect((layerError as Error).message).toMatch(/is model-wide; expected the site \{ after: "\*" \}/);
    [model, grown.model].forEach((m) => m.dispose());
  });
});

describe('planOrRefuse', () => {
  it('makes a plan { ok: true, plan } and a { reason } a SITE_NOT_OFFERED refusal with that reason', () => {
    const plan = { layers: ['dense_1'] };
    expect(planOrRefuse(plan)).toEqual({ ok: true, plan });
    expect(planOrRefuse<typeof plan>({ reason: 'it is a Dense' })).toEqual({ ok: false, reason: 'it is a Dense' });
  });
});
