import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { toGraph } from '../graph/to-graph.js';
import { convolvedSequence, positionsLast } from './steps.js';

describe('positionsLast', () => {
  it('marks a GPT\'s attention scores, their softmax and the causal mask, and no per-token features', () => {
    const model = getFixture('gpt-block').build();
    const graph = toGraph(model);
    const marked = graph.nodes.filter((n) => positionsLast(graph, n.name)).map((n) => n.name);
    expect(marked).toEqual(expect.arrayContaining(['causal_mask', 'block_0_head_0_scores', 'block_0_head_0_scale', 'block_0_head_0_masked', 'block_0_head_0_softmax']));
    for (const name of marked) expect(name).toMatch(/causal_mask|scores|scale|masked|softmax/);
    expect(marked).not.toContain('block_0_head_0_query');
    expect(marked).not.toContain('block_0_ln_1');
    model.dispose();
  });
});

describe('convolvedSequence', () => {
  it('marks a Conv1D net\'s convolutions and the per-step layers after them, not an RNN\'s or a GPT\'s sequences', () => {
    const conv = getFixture('conv1d-net').build();
    const convGraph = toGraph(conv);
    expect(convGraph.nodes.filter((n) => convolvedSequence(convGraph, n.name)).map((n) => n.name)).toEqual(['conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3']);
    conv.dispose();
    const tagger = getFixture('sequence-tagger-gru').build();
    const taggerGraph = toGraph(tagger);
    expect(taggerGraph.nodes.some((n) => convolvedSequence(taggerGraph, n.name))).toBe(false);
    tagger.dispose();
  });
});

describe('carriesMask', () => {
  it('follows an Embedding\'s mask_zero through sequence layers until an RNN without return_sequences drops it', async () => {
    const { carriesMask } = await import('./steps.js');
    const classifier = getFixture('text-classifier-lstm').build();
    const graph = toGraph(classifier);
    expect(graph.nodes.filter((n) => carriesMask(graph, n.name)).map((n) => n.name)).toEqual(['embedding']);
    classifier.dispose();
    const tagger = getFixture('sequence-tagger-gru').build();
    const taggerGraph = toGraph(tagger);
    expect(taggerGraph.nodes.some((n) => carriesMask(taggerGraph, n.name))).toBe(false);
    tagger.dispose();
  });
});
