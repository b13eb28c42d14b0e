import { describe, expect, it } from 'vitest';
import { GraftError } from '@graft/core';
import { type ConformanceReport, runStrategyConformance } from './run-conformance.js';
import type { SurgeryStrategy } from '@graft/core';
import { sitesOf } from './sample-sites.test-support.js';
import { allOnesConvGate, doNothing, linearIdentity, lyingScale, residualBranch, uncheckedReluIdentity } from './sample-strategies.test-support.js';

// The generated suite itself, run outside vitest: known-bad strategies must turn exactly the right tests red.
const onCpu = { backends: ['cpu'] } as const;

/** Names of the failing tests, as `fixture › site › check`, without the backend. */
function failing(report: ConformanceReport): string[] {
  return report.results.filter((r) => !r.ok).map((r) => r.path.filter((p) => p !== 'cpu').join(' › '));
}

describe('runStrategyConformance', () => {
  it('passes a good strategy, checking its shape first', async () => {
    const report = await runStrategyConformance(linearIdentity(), { ...onCpu, sites: sitesOf(['dense-chain-sigmoid', 'functional-residual']) });
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.title).toBe('linear-identity conformance');
    expect(report.results[0]?.path).toEqual(['has the shape of a graft strategy']);
    expect(report.results.map((r) => r.path.join(' › '))).toContain('cpu › functional-residual › after multiply › adds weights that learn');
  });

  it("negative control: the write-up's conv gate fails check 1 at every site, on random inputs and MNIST digits", async () => {
    const report = await runStrategyConformance(allOnesConvGate(), { ...onCpu, sites: { 'mnist-reference': { offers: ['conv'] }, 'conv-valid-strides': { offers: ['conv_1', 'conv_3'] } } });
    expect(failing(report)).toEqual([
      'conv-valid-strides › after conv_1 › preserves predictions on random inputs',
      'conv-valid-strides › after conv_3 › preserves predictions on random inputs',
      'mnist-reference › after conv › preserves predictions on random inputs',
      'mnist-reference › after conv › preserves predictions on MNIST digits',
    ]);
  });

  it('negative control: zero in and zero out fails check 2 (and only check 2)', async () => {
    const report = await runStrategyConformance(residualBranch({ deadInput: true }), { ...onCpu, sites: sitesOf(['dense-chain-relu']) });
    expect(failing(report)).toEqual(['after dense_1', 'after dense_3', 'after dense_5'].map((site) => `dense-chain-relu › ${site} › adds weights that learn`));
  });

  it('a site offered where the strategy is not exact fails check 1', async () => {
    const report = await runStrategyConformance(lyingScale(), { ...onCpu, sites: sitesOf(['dense-chain-linear']) });
    expect(failing(report)).toContain('dense-chain-linear › after dense_3 › preserves predictions on random inputs');
  });

  it('negative control: an apply that answers sites it does not offer fails check 6', async () => {
    const report = await runStrategyConformance(uncheckedReluIdentity(), { ...onCpu, sites: { 'dense-chain-tanh': { offers: ['dense_5'] } } });
    expect(failing(report)).toEqual(['dense-chain-tanh › refuses the layers it does not offer']);
  });

  it('negative control: a malformed strategy fails check 7 first, and nothing else runs', async () => {
    const report = await runStrategyConformance({ name: 'half-a-strategy', description: 'no apply', findSites: () => [] }, { ...onCpu, sites: sitesOf(['dense-chain-relu']) });
    expect(report.title).toBe('strategy conformance');
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ ok: false, path: ['has the shape of a graft strategy'] });
    expect(report.results[0]?.error).toMatch(/"apply" must be a function/);
  });

  it('a call that states no site anywhere fails, and so does a strategy offering none of the stated ones', async () => {
    const none = await runStrategyConformance(doNothing(), { ...onCpu, sites: { 'shared-layer': { offers: [] } } });
    expect(failing(none)).toEqual(['states a site on at least one fixture']);
    const report = await runStrategyConformance(doNothing(), { ...onCpu, sites: sitesOf(['shared-layer']) });
    expect(failing(report)).toContain('shared-layer › offers exactly the stated sites');
    expect(report.results.find((r) => r.path.includes('offers exactly the stated sites'))?.error).toMatch(/does not offer the stated "concat", "dense_3", "dense_5"/);
  });

  it('negative control: a strategy that silently stops offering a stated site fails, at the survey and at the site', async () => {
    const good = linearIdentity();
    const forgetful: SurgeryStrategy = { ...good, name: 'forgetful', findSites: (graph) => good.findSites(graph).filter((site) => site !== 'hidden') };
    const report = await runStrategyConformance(forgetful, { ...onCpu, sites: sitesOf(['mnist-reference']) });
    expect(failing(report)).toEqual(expect.arrayContaining(['mnist-reference › offers exactly the stated sites', 'mnist-reference › after hidden › preserves predictions on random inputs']));
    expect(report.results.find((r) => r.path.includes('offers exactly the stated sites'))?.error).toBe('"forgetful" does not offer the stated "hidden" on "mnist_seed" (offers: output).');
  });

  it('fails a strategy that offers more than stated, or refuses for another reason', async () => {
    const more = await runStrategyConformance(linearIdentity(), { ...onCpu, sites: { 'mnist-reference': { offers: ['output'] } } });
    expect(failing(more)).toEqual(['mnist-reference › offers exactly the stated sites']);
    const reason = await runStrategyConformance(linearIdentity(), { ...onCpu, sites: { 'mnist-reference': { offers: ['hidden', 'output'], refuses: { conv: 'needs rank 2' } } } });
    expect(failing(reason)).toEqual(['mnist-reference › refuses the stated layers, saying why']);
    const offered = await runStrategyConformance(linearIdentity(), { ...onCpu, sites: { 'mnist-reference': { offers: ['hidden', 'output'], refuses: { hidden: 'anything' } } } });
    expect(offered.results.find((r) => !r.ok)?.error).toMatch(/^hidden: offered, but stated as refused/);
  });

  it('refuses a call without stated sites, an unknown fixture, or a layer the fixture lacks', async () => {
    await expect(runStrategyConformance(linearIdentity(), {} as never)).rejects.toThrow(/must state its sites/);
    await expect(runStrategyConformance(linearIdentity(), { sites: { 'dense-chian-relu': { offers: [] } } })).rejects.toThrow(/No fixture named "dense-chian-relu". Expected names: dense-chain-relu/);
    await expect(runStrategyConformance(linearIdentity(), { sites: { 'dense-chain-relu': { offers: ['dense_2'] } } })).rejects.toThrow(/states layer "dense_2" for fixture "dense-chain-relu", which has no such layer/);
  });

  it('a strategy whose apply throws fails every check of its sites, saying why', async () => {
    const unfinished = { ...linearIdentity(), name: 'unfinished', apply: () => { throw new GraftError('INVALID_STRATEGY', 'not implemented'); } };
    const report = await runStrategyConformance(unfinished, { ...onCpu, sites: sitesOf(['dense-chain-relu']) });
    expect(report.ok).toBe(false);
    const siteTests = report.results.filter((r) => r.path.includes('after dense_1'));
    expect(siteTests).toHaveLength(5);
    expect(siteTests.every((r) => !r.ok && /not implemented/.test(r.error ?? ''))).toBe(true);
  });

  it('names the label and the options in the title, so a strategy can run twice', async () => {
    const report = await runStrategyConformance(linearIdentity(), { ...onCpu, sites: sitesOf(['dense-chain-relu']), label: 'again', options: { units: 3 } });
    expect(report.title).toBe('linear-identity conformance (again) {"units":3}');
  });
});
