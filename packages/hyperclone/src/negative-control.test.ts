import * as tf from '@tensorflow/tfjs';
import { disposeModel, fromGraph, seededRandom, toGraph } from '@graft/core';
import { checkPreservation } from '@graft/conformance';
import { getFixture, randomInputs } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClone } from './hyperclone.js';
import type { Layout } from './layout.js';
import { planHyperclone } from './plan.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Net2Net's random replication to twice the width: the first copy of every feature, then `width` more copies of
 * features picked at random (some twice or more, some not at all), each row divided by its own copy count. One
 * mapping per width, so that everything added to the residual stream is replicated alike.
 */
function uneven(seed: number): (width: number) => Layout {
  const random = seededRandom(seed);
  const mappings = new Map<number, Layout>();
  return (width) => mappings.get(width) ?? mappings.set(width, replicate(width, random)).get(width)!;
}

function replicate(width: number, random: () => number): Layout {
  const extra = Array.from({ length: width }, () => Math.floor(random() * width));
  const source = Int32Array.from([...Array.from({ length: width }, (_, i) => i), ...extra]);
  const seen = new Map<number, number>();
  const copy = source.map((s) => {
    const a = seen.get(s) ?? 0;
    seen.set(s, a + 1);
    return a;
  });
  return { kind: 'cloned', source, copy };
}

/** The max |Δ| of predictions after cloning `fixture` with uniform copies and with uneven ones. */
async function errors(fixtureName: string): Promise<{ uniform: number; uneven: number; unevenOk: boolean; uniformOk: boolean }> {
  const fixture = getFixture(fixtureName);
  const model = fixture.build();
  const inputs = randomInputs(fixture, 8, 4);
  const graph = toGraph(model);
  const results = [];
  for (const widen of [undefined, uneven(3)]) {
    const plan = planHyperclone(graph, 2, widen);
    if ('reason' in plan) throw new Error(plan.reason);
    const grown = await fromGraph(buildClone(graph, plan).graph);
    results.push(checkPreservation(model, grown, inputs));
    disposeModel(grown);
  }
  disposeModel(model);
  tf.dispose(inputs);
  const [uniform, unevenResult] = results as [ReturnType<typeof checkPreservation>, ReturnType<typeof checkPreservation>];
  return { uniform: uniform.maxAbsDiff, uneven: unevenResult.maxAbsDiff, uniformOk: uniform.ok, unevenOk: unevenResult.ok };
}

describe('negative control: uneven (Net2Net) replication of the residual width', () => {
  it('is caught by the exactness check on a GPT (LayerNorm statistics and attention scores change); uniform copies are exact', async () => {
    const gpt = await errors('gpt-2-blocks-4-heads');
    expect(gpt.uniformOk).toBe(true);
    expect(gpt.uniform).toBe(0);
    expect(gpt.unevenOk).toBe(false);
    // Measured: max |Δ| of the logits 1.15 (peak |logit| about 2.4) on this fixture; uniform copies: 0.
    expect(gpt.uneven).toBeGreaterThan(0.1);
  });

  it('is caught on a per-token MLP with LayerNorm, where LayerNorm alone is what breaks it', async () => {
    const mlp = await errors('per-token-mlp-layernorm');
    expect(mlp.uniformOk).toBe(true);
    expect(mlp.unevenOk).toBe(false);
    // Measured: max |Δ| 0.059 of softmax outputs; uniform copies: 0.
    expect(mlp.uneven).toBeGreaterThan(1e-3);
  });

  it('is exact without LayerNorm, as Net2Net claims (the control of the control)', async () => {
    const chain = await errors('dense-chain-tanh');
    expect(chain.uniformOk).toBe(true);
    expect(chain.unevenOk).toBe(true);
  });
});
