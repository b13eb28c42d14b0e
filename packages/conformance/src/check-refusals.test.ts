import { describe, expect, it } from 'vitest';
import { findSites, GraftError, type SurgeryStrategy } from '@graft/core';
import { checkRefusals } from './check-refusals.js';
import { checkStrategyShape } from './check-strategy-shape.js';
import { linearIdentity, uncheckedReluIdentity } from './sample-strategies.test-support.js';
import { growFixture } from './test-models.test-support.js';

describe('checkRefusals', () => {
  it('passes a strategy whose apply refuses the sites findSites does not offer', async () => {
    const g = await growFixture('conv-valid-strides', linearIdentity(), 'dense_5');
    const result = await checkRefusals(g.source, linearIdentity(), g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
    expect(result.notOffered).toEqual(expect.arrayContaining(['conv_1', 'conv_3']));
  });

  it('negative control: FAILS an apply that silently answers a site findSites does not offer with a wrong model', async () => {
    const strategy = uncheckedReluIdentity();
    const g = await growFixture('dense-chain-tanh', strategy, 'dense_5');
    expect(findSites(g.source, strategy)).toEqual(['dense_5']); // only the softmax output is non-negative
    const result = await checkRefusals(g.source, strategy, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.silentlyWrong).toEqual(['dense_1_input', 'dense_1', 'dense_3']); // inputs in [-1, 1], tanh layers
    expect(result.accepted).toEqual([]); // grow itself refuses them: the danger is a caller bypassing grow
    expect(result.message).toMatch(/throw GraftError\('SITE_NOT_OFFERED'\)/);
  });

  it('FAILS a strategy whose findSites answers differently from one call to the next', async () => {
    let calls = 0;
    const good = linearIdentity();
    const flaky: SurgeryStrategy = { ...good, name: 'flaky', findSites: (graph) => (calls++ === 0 ? [] : good.findSites(graph)) };
    const g = await growFixture('dense-chain-relu', good, 'dense_1');
    const result = await checkRefusals(g.source, flaky, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual(['dense_1', 'dense_3', 'dense_5']);
  });
});

describe('checkStrategyShape', () => {
  it('passes a strategy', () => {
    expect(checkStrategyShape(linearIdentity())).toMatchObject({ ok: true });
  });

  it.each([
    ['null', null, /got null/],
    ['a name that is not kebab-case', { ...linearIdentity(), name: 'Linear Identity' }, /"name" must be a kebab-case string/],
    ['findSites that is not a function', { ...linearIdentity(), findSites: ['dense_1'] }, /"findSites" must be a function/],
    ['no apply', { name: 'x', description: 'y', findSites: () => [] }, /"apply" must be a function/],
  ])('negative control: FAILS %s with a clear GraftError', (_what, value, message) => {
    const result = checkStrategyShape(value);
    expect(result.ok).toBe(false);
    expect(result.error).toBeInstanceOf(GraftError);
    expect(result.error?.code).toBe('INVALID_STRATEGY');
    expect(result.message).toMatch(message);
    expect(result.message).toMatch(/A strategy is \{ name, description, findSites\(graph\), apply\(graph, site, options\) \}/);
  });
});
