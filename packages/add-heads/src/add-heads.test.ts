import * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, fromGraph, grow, replaceLayer, toGraph, weightValue, type SurgeryStrategy } from '@graft/core';
import { saveModel } from '@graft/core/node';
import { checkCausality, checkLiveness, checkPreservation } from '@graft/conformance';
import { useFixture } from '@graft/conformance/testing';
import { getFixture, maxAbsDiff, predictAll, randomInputs, saveAndLoadPlain } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { addHeads } from './add-heads.js';

const gpt = useFixture('gpt-2-blocks-4-heads', { samples: 6, seed: 3 });

describe('add-heads', () => {
  it('offers each block\'s attention output projection, and says why not elsewhere', () => {
    expect(findSites(gpt.model, addHeads())).toEqual(['block_0_attn_proj', 'block_1_attn_proj']);
    const graph = toGraph(gpt.model);
    expect(addHeads().explain?.(graph, 'block_0_mlp_proj')).toBe('the projection\'s input is not attention heads: "block_0_mlp_hidden" is a Dense, not an attention head\'s Dot with axes [2, 1]');
    expect(addHeads().explain?.(graph, 'block_0_attn_concat')).toBe('it is a Concatenate; add-heads grows at an attention block\'s output projection (a Dense reading the heads)');
  });

  it('adds heads of the same size with zero projection rows: exact, causal, plain-loadable', async () => {
    const grown = await grow(gpt.model, addHeads({ heads: 2 }), { after: 'block_1_attn_proj' });
    expect(grown.added).toContain('block_1_head_4_query');
    expect(grown.added).toContain('block_1_head_5_attend');
    expect(grown.model.getLayer('block_1_head_5_value').getWeights()[0]!.shape).toEqual([8, 2]);
    const [kernel] = grown.model.getLayer('block_1_attn_proj').getWeights();
    expect(kernel!.shape).toEqual([12, 8]);
    const rows = kernel!.arraySync() as number[][];
    expect(rows.slice(8).flat().every((v) => v === 0)).toBe(true);
    expect(rows.slice(0, 8)).toEqual(gpt.model.getLayer('block_1_attn_proj').getWeights()[0]!.arraySync());
    expect(maxAbsDiff(predictAll(gpt.model, gpt.inputs), predictAll(grown.model, gpt.inputs))).toBeLessThan(1e-6);
    expect(checkCausality(grown.model, gpt.inputs[0] as tf.Tensor2D, gpt.fixture.tokens!)).toMatchObject({ ok: true, maxEarlierDiff: 0 });
    const reloaded = await saveAndLoadPlain(grown.model, (m, dir) => saveModel(m, dir));
    expect(maxAbsDiff(predictAll(grown.model, gpt.inputs), predictAll(reloaded, gpt.inputs))).toBe(0);
    [grown.model, reloaded].forEach(disposeModel);
  });

  it('joins a single head with a new Concatenate, and the new head learns by the two-step rule', async () => {
    const single = getFixture('gpt-1-block-1-head');
    const source = single.build();
    const tokens = randomInputs(single, 4, 2);
    const grown = await grow(source, addHeads(), { after: 'block_0_attn_proj' });
    expect(grown.added).toEqual(expect.arrayContaining(['block_0_head_1_query', 'block_0_attn_concat', 'block_0_attn_proj']));
    expect(maxAbsDiff(predictAll(source, tokens), predictAll(grown.model, tokens))).toBeLessThan(1e-6);
    const liveness = await checkLiveness(grown.model, grown.added, tokens);
    expect(liveness.ok, liveness.message).toBe(true);
    expect(liveness.movedAfterStep1).toContain('block_0_attn_proj/kernel');
    expect(liveness.movedAfterStep1).not.toContain('block_0_head_1_query/kernel');
    [source, grown.model].forEach(disposeModel);
    tf.dispose(tokens);
  });

  it('negative control: the same heads with non-zero projection rows are caught by the exactness check', async () => {
    const grown = await grow(gpt.model, addHeads(), { after: 'block_0_attn_proj' });
    const graph = toGraph(grown.model);
    const projection = graph.nodes.find((n) => n.name === 'block_0_attn_proj')!;
    const kernel = projection.weights[0]!;
    // Varied values: a constant row would shift every feature alike, which the LayerNorms downstream remove.
    const filled = Float32Array.from(kernel.values, (v, i) => (i >= 8 * 8 ? Math.sin(i) : v));
    const broken = await fromGraph(replaceLayer(graph, 'block_0_attn_proj', { weights: [weightValue('kernel', kernel.shape, filled), projection.weights[1]!] }));
    expect(checkPreservation(gpt.model, broken, gpt.inputs).ok).toBe(false);
    [grown.model, broken].forEach(disposeModel);
  });

  it('refuses a number of heads out of range', async () => {
    const untyped: SurgeryStrategy = addHeads();
    await expect(grow(gpt.model, untyped, { after: 'block_0_attn_proj' }, { heads: 0 })).rejects.toThrow(/an integer from 1 to 64/);
    expect(() => addHeads({ heads: 65 })).toThrow(/an integer from 1 to 64/);
  });
});
