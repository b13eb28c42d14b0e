import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { causalMask, GPT_INPUT_NAMES, gpt, gptInputs } from './gpt.js';

const small = { vocabSize: 11, context: 6, dModel: 8, heads: 2, blocks: 2, mlpRatio: 2, seed: 3 } as const;

function tokenRows(batch: number, length: number, vocab: number, seed: number): number[][] {
  let state = seed;
  const next = (): number => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648);
  return Array.from({ length: batch }, () => Array.from({ length }, () => next() % vocab));
}

function predict(model: tf.LayersModel, rows: readonly (readonly number[])[]): Float32Array {
  const inputs = gptInputs(rows);
  const out = model.predict(inputs) as tf.Tensor;
  const values = out.dataSync().slice() as Float32Array;
  tf.dispose([out, ...inputs]);
  return values;
}

/** Saves through the model.json text form and loads it back with nothing but plain `tf.loadLayersModel`. */
async function saveAndReload(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((artifacts) => {
    saved = artifacts;
    return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
  }));
  const topology = JSON.parse(JSON.stringify(saved!.modelTopology)) as object;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: saved!.weightSpecs!, weightData: saved!.weightData! }));
}

describe('gpt', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has the three named inputs and logits over the vocabulary for every position', () => {
    const model = gpt(small);
    expect(model.inputNames).toEqual([GPT_INPUT_NAMES.tokens, GPT_INPUT_NAMES.positions, GPT_INPUT_NAMES.mask]);
    expect(model.inputs.map((i) => i.shape)).toEqual([[null, 6], [null, 6], [null, 6, 6]]);
    expect(model.inputs.map((i) => i.dtype)).toEqual(['int32', 'int32', 'float32']);
    expect(model.outputs[0]?.shape).toEqual([null, 6, 11]);
    const names = model.layers.map((l) => l.name);
    for (const name of ['token_embedding', 'position_embedding', 'embedding_add', 'block_0_ln_1', 'block_0_head_1_query', 'block_0_head_0_scores', 'block_0_attn_concat', 'block_0_attn_proj', 'block_0_attn_add', 'block_1_mlp_hidden', 'block_1_mlp_proj', 'block_1_mlp_add', 'final_ln', 'head']) {
      expect(names).toContain(name);
    }
    model.dispose();
  });

  it('counts the parameters of a GPT of these sizes', () => {
    const model = gpt(small);
    const d = 8;
    const block = 2 * d + 3 * (d * d + d) - d + (d * d + d) + 2 * d + (d * 2 * d + 2 * d) + (2 * d * d + d);
    expect(model.countParams()).toBe(11 * d + 6 * d + 2 * block + 2 * d + (d * 11 + 11));
    model.dispose();
  });

  it('builds one head without a Concatenate and zero blocks as embeddings → final LayerNorm → head', () => {
    const one = gpt({ ...small, heads: 1 });
    expect(one.layers.map((l) => l.getClassName())).not.toContain('Concatenate');
    const none = gpt({ ...small, blocks: 0 });
    expect(none.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name)).toEqual(['token_embedding', 'position_embedding', 'embedding_add', 'final_ln', 'head']);
    expect(none.layers.some((l) => l.name.startsWith('block_'))).toBe(false);
    one.dispose();
    none.dispose();
  });

  it('is deterministic from the seed', () => {
    const weights = (seed: number): Float32Array[] => {
      const model = gpt({ ...small, seed });
      const values = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      model.dispose();
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)[0]).not.toEqual(weights(4)[0]);
  });

  it('loads with plain tf.loadLayersModel and predicts identically', async () => {
    const model = gpt(small);
    const reloaded = await saveAndReload(model);
    const rows = tokenRows(4, 6, 11, 9);
    expect(predict(reloaded, rows)).toEqual(predict(model, rows));
    model.dispose();
    reloaded.dispose();
  });

  it('is causal: changing a later token leaves earlier positions unchanged and changes its own', () => {
    const model = gpt(small);
    const rows = tokenRows(3, 6, 11, 5);
    const changed = rows.map((row) => row.map((id, t) => (t === 3 ? (id + 1) % 11 : id)));
    const before = predict(model, rows);
    const after = predict(model, changed);
    const perPosition = 11;
    for (let r = 0; r < 3; r++) {
      const at = (values: Float32Array, t: number): Float32Array => values.slice((r * 6 + t) * perPosition, (r * 6 + t + 1) * perPosition);
      for (let t = 0; t < 3; t++) expect(at(after, t)).toEqual(at(before, t));
      expect(at(after, 3)).not.toEqual(at(before, 3));
    }
    model.dispose();
  });

  it('refuses sizes that are not positive integers and a width not divisible by the heads', () => {
    expect(() => gpt({ ...small, dModel: 9 })).toThrow(/dModel \(9\) must be divisible by heads \(2\)/);
    expect(() => gpt({ ...small, vocabSize: 0 })).toThrow(/vocabSize must be an integer >= 1, got 0/);
    expect(() => gpt({ ...small, blocks: 1.5 })).toThrow(/blocks must be an integer >= 0/);
  });
});

describe('gptInputs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('makes token ids, positions and an additive causal mask for a batch', () => {
    const [tokens, positions, mask] = gptInputs([[4, 2, 7], [1, 0, 3]]);
    expect(tokens!.dtype).toBe('int32');
    expect(tokens!.arraySync()).toEqual([[4, 2, 7], [1, 0, 3]]);
    expect(positions!.dtype).toBe('int32');
    expect(positions!.arraySync()).toEqual([[0, 1, 2], [0, 1, 2]]);
    const row = [[0, -1e9, -1e9], [0, 0, -1e9], [0, 0, 0]];
    expect(mask!.shape).toEqual([2, 3, 3]);
    expect(mask!.arraySync()).toEqual([row, row]);
    tf.dispose([tokens!, positions!, mask!]);
  });

  it('makes a multiplicative causal mask too: 1 where a query may read a key, 0 above the diagonal', () => {
    const mask = causalMask(1, 3, 'multiplicative');
    expect(mask.dtype).toBe('float32');
    expect(mask.arraySync()).toEqual([[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]);
    mask.dispose();
  });

  it('accepts a rank-2 tensor and copies it', () => {
    const ids = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const [tokens, ...rest] = gptInputs(ids);
    expect(tokens).not.toBe(ids);
    expect(tokens!.arraySync()).toEqual([[1, 2]]);
    tf.dispose([ids, tokens!, ...rest]);
  });

  it('refuses ragged rows, negative or fractional ids and empty batches', () => {
    expect(() => gptInputs([[1, 2], [3]])).toThrow(/every row must have 2 tokens, row 1 has 1/);
    expect(() => gptInputs([[1, -2]])).toThrow(/non-negative integers, got -2 at row 0, position 1/);
    expect(() => gptInputs([[0.5]])).toThrow(/got 0.5/);
    expect(() => gptInputs([])).toThrow(/at least one non-empty row/);
  });
});
