import { describe, expect, it } from 'vitest';
import { GraftError } from '@graft/core';
import { type ConformanceReport, runStrategyConformance } from './run-conformance.js';
import { allOnesConvGate, doNothing, linearIdentity, lyingScale, residualBranch, uncheckedReluIdentity } from './sample-strategies.test-support.js';

// The generated suite itself, run outside vitest: known-bad strategies must turn exactly the right tests red.
const onCpu = { backends: ['cpu'] } as const;

/** Names of the failing tests, as `fixture › site › check`, without the backend. */
function failing(report: ConformanceReport): string[] {
  return report.results.filter((r) => !r.ok).map((r) => r.path.filter((p) => p !== 'cpu').join(' › '));
}

describe('runStrategyConformance', () => {
  it('passes a good strategy, checking its shape first', async () => {
    const report = await runStrategyConformance(linearIdentity(), { ...onCpu, fixtures: ['dense-chain-sigmoid', 'functional-residual'] });
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.title).toBe('linear-identity conformance');
    expect(report.results[0]?.path).toEqual(['has the shape of a graft strategy']);
    expect(report.results.map((r) => r.path.join(' › '))).toContain('cpu › functional-residual › after multiply › adds weights that learn');
  });

  it("negative control: the write-up's conv gate fails check 1 at every site, on random inputs and MNIST digits", async () => {
    const report = await runStrategyConformance(allOnesConvGate(), { ...onCpu, fixtures: ['mnist-reference', 'conv-valid-strides'] });
    expect(failing(report)).toEqual([
      'conv-valid-strides › after conv_1 › preserves predictions on random inputs',
      'conv-valid-strides › after conv_3 › preserves predictions on random inputs',
      'mnist-reference › after conv › preserves predictions on random inputs',
      'mnist-reference › after conv › preserves predictions on MNIST digits',
    ]);
  });

  it('negative control: zero in and zero out fails check 2 (and only check 2)', async () => {
    const report = await runStrategyConformance(residualBranch({ deadInput: true }), { ...onCpu, fixtures: ['dense-chain-relu'] });
    expect(failing(report)).toEqual(['after dense_1', 'after dense_3', 'after dense_5'].map((site) => `dense-chain-relu › ${site} › adds weights that learn`));
  });

  it('a site offered where the strategy is not exact fails check 1', async () => {
    const report = await runStrategyConformance(lyingScale(), { ...onCpu, fixtures: ['dense-chain-linear'] });
    expect(failing(report)).toContain('dense-chain-linear › after dense_3 › preserves predictions on random inputs');
  });

  it('negative control: an apply that answers sites it does not offer fails check 6', async () => {
    const report = await runStrategyConformance(uncheckedReluIdentity(), { ...onCpu, fixtures: ['dense-chain-tanh'] });
    expect(failing(report)).toEqual(['dense-chain-tanh › refuses the layers it does not offer']);
  });

  it('negative control: a malformed strategy fails check 7 first, and nothing else runs', async () => {
    const report = await runStrategyConformance({ name: 'half-a-strategy', description: 'no apply', findSites: () => [] }, onCpu);
    expect(report.title).toBe('strategy conformance');
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ ok: false, path: ['has the shape of a graft strategy'] });
    expect(report.results[0]?.error).toMatch(/"apply" must be a function/);
  });

  it('a strategy that offers no site anywhere fails', async () => {
    const report = await runStrategyConformance(doNothing(), { ...onCpu, fixtures: ['dense', 'conv'] });
    expect(failing(report)).toEqual(['offers a site on at least one fixture']);
    expect(report.results.map((r) => r.path.join(' › '))).toContain('cpu › shared-layer › offers no site (nothing to check)');
  });

  it('a strategy whose apply throws fails every check of its sites, saying why', async () => {
    const unfinished = { ...linearIdentity(), name: 'unfinished', apply: () => { throw new GraftError('INVALID_STRATEGY', 'not implemented'); } };
    const report = await runStrategyConformance(unfinished, { ...onCpu, fixtures: ['dense-chain-relu'] });
    expect(report.ok).toBe(false);
    const siteTests = report.results.filter((r) => r.path.includes('after dense_1'));
    expect(siteTests).toHaveLength(5);
    expect(siteTests.every((r) => !r.ok && /not implemented/.test(r.error ?? ''))).toBe(true);
  });

  it('refuses unknown fixture names and tags, listing the known ones', async () => {
    await expect(runStrategyConformance(linearIdentity(), { fixtures: ['dense-chian-relu'] })).rejects.toThrow(/No fixture named or tagged "dense-chian-relu". Expected names \(dense-chain-relu/);
  });

  it('names the label and the options in the title, so a strategy can run twice', async () => {
    const report = await runStrategyConformance(linearIdentity(), { ...onCpu, fixtures: ['dense-chain-relu'], label: 'again', options: { units: 3 } });
    expect(report.title).toBe('linear-identity conformance (again) {"units":3}');
  });
});
