import * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, fromGraph, grow, toGraph, type SurgeryStrategy } from '@graft/core';
import { saveModel } from '@graft/core/node';
import { checkCausality, checkLiveness, checkPreservation } from '@graft/conformance';
import { useFixture } from '@graft/conformance/testing';
import { getFixture, maxAbsDiff, predictAll, randomInputs, saveAndLoadPlain } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { blockCopy } from './block-copy.js';
import { buildBlockCopy } from './build.js';
import { planBlockCopy, type BlockCopyPlan } from './plan.js';

const gpt = useFixture('gpt-2-blocks-4-heads', { samples: 6, seed: 3 });

const planned = (graph: ReturnType<typeof toGraph>, site: string, choice = {}): BlockCopyPlan => {
  const plan = planBlockCopy(graph, site, choice);
  if ('reason' in plan) throw new Error(plan.reason);
  return plan;
};

describe('block-copy on a GPT', () => {
  it('offers every residual Add of every block, and nothing else', () => {
    expect(findSites(gpt.model, blockCopy())).toEqual(['block_0_attn_add', 'block_0_mlp_add', 'block_1_attn_add', 'block_1_mlp_add']);
    const strategy = blockCopy();
    const graph = toGraph(gpt.model);
    expect(strategy.explain?.(graph, 'embedding_add')).toMatch(/neither input of the Add \("token_embedding", "position_embedding"\) is computed from the other/);
    expect(strategy.explain?.(graph, 'block_0_head_0_masked')).toMatch(/not a residual connection/);
    expect(strategy.explain?.(graph, 'block_0_mlp_hidden')).toBe('it is a Dense, not a residual Add');
  });

  it('copies a whole block with `through`, zeroes both output projections, and is exact, causal and plain-loadable', async () => {
    const grown = await grow(gpt.model, blockCopy({ through: 'block_0_mlp_add' }), { after: 'block_0_attn_add' });
    expect(grown.added).toContain('block_0_attn_proj_copy');
    expect(grown.added).toContain('block_0_mlp_proj_copy');
    expect(grown.added.slice(-1)).toEqual(['block_0_mlp_add_copy']);
    // The copy follows the block it copies, reading its output; block 1 now reads the copy.
    const graph = toGraph(grown.model);
    expect(graph.nodes.find((n) => n.name === 'block_0_ln_1_copy')?.inbound[0]?.[0]?.layer).toBe('block_0_mlp_add');
    expect(graph.nodes.find((n) => n.name === 'block_1_ln_1')?.inbound[0]?.[0]?.layer).toBe('block_0_mlp_add_copy');
    // Exact: x + 0 is x, bit for bit.
    expect(maxAbsDiff(predictAll(gpt.model, gpt.inputs), predictAll(grown.model, gpt.inputs))).toBe(0);
    const tokens = gpt.inputs[0] as tf.Tensor2D;
    for (const m of [gpt.model, grown.model]) expect(checkCausality(m, tokens, gpt.fixture.tokens!)).toMatchObject({ ok: true, maxEarlierDiff: 0 });
    for (const name of ['block_0_attn_proj_copy', 'block_0_mlp_proj_copy']) {
      for (const w of grown.model.getLayer(name).getWeights()) expect(Array.from(w.dataSync()).every((v) => v === 0)).toBe(true);
    }
    // The inner layers keep their trained weights.
    expect(grown.model.getLayer('block_0_head_2_query_copy').getWeights()[0]!.arraySync()).toEqual(gpt.model.getLayer('block_0_head_2_query').getWeights()[0]!.arraySync());
    const reloaded = await saveAndLoadPlain(grown.model, (m, dir) => saveModel(m, dir));
    expect(maxAbsDiff(predictAll(grown.model, gpt.inputs), predictAll(reloaded, gpt.inputs))).toBe(0);
    disposeModel(reloaded);
    disposeModel(grown.model);
  });

  it('learns by the two-step rule: the zeroed projections move at step 1, every copied weight by step 2', async () => {
    const grown = await grow(gpt.model, blockCopy({ through: 'block_1_mlp_add' }), { after: 'block_1_attn_add' });
    const liveness = await checkLiveness(grown.model, grown.added, gpt.inputs.map((x) => x.slice(0, 2)));
    expect(liveness.ok, liveness.message).toBe(true);
    expect(liveness.movedAfterStep1).toEqual(expect.arrayContaining(['block_1_attn_proj_copy/kernel', 'block_1_mlp_proj_copy/kernel']));
    expect(liveness.movedAfterStep1).not.toContain('block_1_head_0_query_copy/kernel');
    disposeModel(grown.model);
  });

  it('copies another block with `source`, after the site', async () => {
    const strategy = blockCopy();
    const grown = await grow(gpt.model, strategy, { after: 'block_1_mlp_add' }, { source: 'block_0_attn_add', through: 'block_0_mlp_add' });
    expect(grown.added).toContain('block_0_ln_1_copy');
    const graph = toGraph(grown.model);
    expect(graph.nodes.find((n) => n.name === 'block_0_ln_1_copy')?.inbound[0]?.[0]?.layer).toBe('block_1_mlp_add');
    expect(graph.nodes.find((n) => n.name === 'final_ln')?.inbound[0]?.[0]?.layer).toBe('block_0_mlp_add_copy');
    expect(maxAbsDiff(predictAll(gpt.model, gpt.inputs), predictAll(grown.model, gpt.inputs))).toBe(0);
    disposeModel(grown.model);
  });

  it('refuses a `through` that does not follow the stream, and a `source` that is not a residual Add', async () => {
    const graph = toGraph(gpt.model);
    expect(planBlockCopy(graph, 'block_1_attn_add', { through: 'block_0_mlp_add' })).toEqual({ reason: 'through "block_0_mlp_add": no residual Add continues the stream after "block_1_mlp_add" towards "block_0_mlp_add"' });
    expect(planBlockCopy(graph, 'block_0_mlp_add', { source: 'block_0_mlp_hidden' })).toEqual({ reason: '"block_0_mlp_hidden" is not a residual Add: it is a Dense, not a residual Add' });
    await expect(grow(gpt.model, blockCopy(), { after: 'block_0_attn_add' }, { through: 'head' })).rejects.toThrow(/does not apply after layer "block_0_attn_add": through "head"/);
    // As the CLI holds strategies: options untyped, checked at run time.
    const untyped: SurgeryStrategy = blockCopy();
    await expect(grow(gpt.model, untyped, { after: 'block_0_attn_add' }, { through: 3 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('negative control: the same copy without the zeroed projection is caught by the exactness check', async () => {
    const graph = toGraph(gpt.model);
    const unzeroed = await fromGraph(buildBlockCopy(graph, planned(graph, 'block_0_attn_add', { through: 'block_0_mlp_add' }), { zeroExit: false }).graph);
    const result = checkPreservation(gpt.model, unzeroed, gpt.inputs);
    expect(result.ok).toBe(false);
    expect(result.maxAbsDiff).toBeGreaterThan(0.1);
    disposeModel(unzeroed);
  });
});

describe('block-copy on a ResNet-style conv net', () => {
  const fixture = getFixture('resnet-blocks');

  it('copies a residual block with its last BatchNorm zeroed, exactly, and the copy learns', async () => {
    const resnet = fixture.build();
    const images = randomInputs(fixture, 4, 2);
    expect(findSites(resnet, blockCopy())).toEqual(['block_0_add', 'block_1_add']);
    const grown = await grow(resnet, blockCopy(), { after: 'block_0_add' });
    expect(grown.added).toEqual(['block_0_conv_1_copy', 'block_0_bn_1_copy', 'block_0_relu_copy', 'block_0_conv_2_copy', 'block_0_bn_2_copy', 'block_0_add_copy']);
    const [gamma, beta, movingMean] = grown.model.getLayer('block_0_bn_2_copy').getWeights();
    expect([gamma, beta].every((w) => Array.from(w!.dataSync()).every((v) => v === 0))).toBe(true);
    expect(movingMean!.arraySync()).toEqual(resnet.getLayer('block_0_bn_2').getWeights()[2]!.arraySync());
    expect(maxAbsDiff(predictAll(resnet, images), predictAll(grown.model, images))).toBe(0);
    const liveness = await checkLiveness(grown.model, grown.added, images);
    expect(liveness.ok, liveness.message).toBe(true);
    const unzeroed = await fromGraph(buildBlockCopy(toGraph(resnet), planned(toGraph(resnet), 'block_0_add'), { zeroExit: false }).graph);
    expect(checkPreservation(resnet, unzeroed, images).ok).toBe(false);
    [resnet, grown.model, unzeroed].forEach(disposeModel);
    tf.dispose(images);
  });
});
