import * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, grow, toGraph, type SurgeryStrategy } from '@graft/core';
import { saveModel } from '@graft/core/node';
import { checkCausality, checkPreservation } from '@graft/conformance';
import { useFixture } from '@graft/conformance/testing';
import { maxAbsDiff, predictAll, saveAndLoadPlain } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { hyperclone } from './hyperclone.js';

const gpt = useFixture('gpt-2-blocks-4-heads', { samples: 6, seed: 3 });

const weightsOf = (m: tf.LayersModel, layer: string): number[][] => m.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));

describe('hyperclone on a GPT', () => {
  it('is model-wide: its one site is "*"', () => {
    expect(hyperclone().scope).toBe('model');
    expect(findSites(gpt.model, hyperclone())).toEqual(['*']);
  });

  it('doubles every hidden width and keeps inputs, outputs and predictions (factor 2: bit for bit)', async () => {
    const grown = await grow(gpt.model, hyperclone(), { after: '*' });
    expect(grown.model.inputs.map((i) => i.shape)).toEqual(gpt.model.inputs.map((i) => i.shape));
    expect(grown.model.outputs[0]?.shape).toEqual([null, 5, 13]);
    expect(grown.model.getLayer('token_embedding').getWeights()[0]!.shape).toEqual([13, 16]);
    expect(grown.model.getLayer('block_0_head_0_query').getWeights()[0]!.shape).toEqual([16, 4]);
    expect(grown.model.getLayer('block_1_mlp_hidden').getWeights()[0]!.shape).toEqual([16, 32]);
    expect(grown.model.getLayer('head').getWeights()[0]!.shape).toEqual([16, 13]);
    expect(maxAbsDiff(predictAll(gpt.model, gpt.inputs), predictAll(grown.model, gpt.inputs))).toBe(0);
    disposeModel(grown.model);
  });

  it('tiles embeddings and LayerNorm gains, divides kernels reading copies by the factor, and scales the query once more', async () => {
    const grown = await grow(gpt.model, hyperclone({ factor: 3 }), { after: '*' });
    const [embedding] = weightsOf(gpt.model, 'token_embedding');
    const [embedding3] = weightsOf(grown.model, 'token_embedding');
    expect(embedding3!.slice(0, 24)).toEqual([...embedding!.slice(0, 8), ...embedding!.slice(0, 8), ...embedding!.slice(0, 8)]);
    const [gamma, beta] = weightsOf(gpt.model, 'block_0_ln_1');
    const [gamma3, beta3] = weightsOf(grown.model, 'block_0_ln_1');
    expect(gamma3).toEqual([...gamma!, ...gamma!, ...gamma!]);
    expect(beta3).toEqual([...beta!, ...beta!, ...beta!]);
    // head: rows tiled and divided by 3, columns (the vocabulary) unchanged, bias unchanged.
    const [head, headBias] = weightsOf(gpt.model, 'head');
    const [head3, headBias3] = weightsOf(grown.model, 'head');
    expect(head3![8 * 13 + 5]).toBeCloseTo(head![5]! / 3, 6);
    expect(headBias3).toEqual(headBias);
    // the query of each head: rows ÷ 3 (it reads copies), then ÷ 3 again (the score sums each product 3 times).
    const [query] = weightsOf(gpt.model, 'block_1_head_2_query');
    const [query3] = weightsOf(grown.model, 'block_1_head_2_query');
    expect(query3![0]).toBeCloseTo(query![0]! / 9, 6);
    const [key] = weightsOf(gpt.model, 'block_1_head_2_key');
    const [key3] = weightsOf(grown.model, 'block_1_head_2_key');
    expect(key3![0]).toBeCloseTo(key![0]! / 3, 6);
    const preserved = checkPreservation(gpt.model, grown.model, gpt.inputs);
    expect(preserved.ok, preserved.message).toBe(true);
    disposeModel(grown.model);
  });

  it('stays causal, and loads in plain tfjs with the same predictions', async () => {
    const grown = await grow(gpt.model, hyperclone(), { after: '*' });
    expect(checkCausality(grown.model, gpt.inputs[0] as tf.Tensor2D, gpt.fixture.tokens!)).toMatchObject({ ok: true, maxEarlierDiff: 0 });
    const reloaded = await saveAndLoadPlain(grown.model, (m, dir) => saveModel(m, dir));
    expect(maxAbsDiff(predictAll(grown.model, gpt.inputs), predictAll(reloaded, gpt.inputs))).toBe(0);
    [grown.model, reloaded].forEach(disposeModel);
  });

  it('with noise, changes the weights that read copies but not the function', async () => {
    const grown = await grow(gpt.model, hyperclone({ noise: 0.3, seed: 7 }), { after: '*' });
    const plain = await grow(gpt.model, hyperclone(), { after: '*' });
    expect(weightsOf(grown.model, 'block_0_mlp_proj')[0]).not.toEqual(weightsOf(plain.model, 'block_0_mlp_proj')[0]);
    // Embeddings read token ids, not copies: no noise there.
    expect(weightsOf(grown.model, 'token_embedding')).toEqual(weightsOf(plain.model, 'token_embedding'));
    const preserved = checkPreservation(gpt.model, grown.model, gpt.inputs);
    expect(preserved.ok, preserved.message).toBe(true);
    [grown.model, plain.model].forEach(disposeModel);
  });

  it('refuses bad options, and a layer site', async () => {
    const untyped: SurgeryStrategy = hyperclone();
    await expect(grow(gpt.model, untyped, { after: '*' }, { factor: 1 })).rejects.toThrow(/factor.*an integer from 2 to 16/);
    await expect(grow(gpt.model, untyped, { after: '*' }, { factor: '2.5' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(grow(gpt.model, untyped, { after: '*' }, { noise: 2 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(() => hyperclone({ factor: 17 })).toThrow(/an integer from 2 to 16/);
    await expect(grow(gpt.model, untyped, { after: 'block_0_ln_1' })).rejects.toMatchObject({ code: 'SITE_NOT_OFFERED' });
    expect(toGraph(gpt.model).nodes.length).toBeGreaterThan(0);
  });
});
