import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel, setModelVocabulary } from '@graft/core';
import { CharVocabulary, type TextWindows } from '@graft/datasets';
import { gpt, gptInputs } from '@graft/models';
import type { DataRequest } from './data-source.js';
import { textSource } from './text-source.js';

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(8);
const vocabulary = CharVocabulary.fromText(text, { minCount: 1 });
const context = 8;
let dir: string;
let file: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'graft-text-source-'));
  file = path.join(dir, 'corpus.txt');
  await fs.writeFile(file, text);
});

afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function firstBatch(model: tf.LayersModel): Promise<Record<string, tf.Tensor>> {
  setModelVocabulary(model, vocabulary.record);
  const request: DataRequest = { source: file, stat: await fs.stat(file), model, label: undefined, validationSplit: 0, seed: 1, limit: undefined, purpose: 'train' };
  const opened = await textSource.open(request);
  const batch = (opened.train as TextWindows).batches(3, { shuffle: false, seed: 1 }).next().value as { xs: Record<string, tf.Tensor>; ys: tf.Tensor };
  batch.ys.dispose();
  return batch.xs;
}

/** A model reading ids, a positions input and a mask input, with names of its own (no gpt() naming). */
function ownNames(mask: 'Add' | 'Multiply', feedMaskTo: 'merge' | 'dense' = 'merge'): tf.LayersModel {
  const ids = tf.input({ name: 'char_ids', shape: [context], dtype: 'int32' });
  const where = tf.input({ name: 'where', shape: [context], dtype: 'int32' });
  const square = tf.input({ name: 'square', shape: [context, context] });
  const embedded = tf.layers.add({ name: 'sum' }).apply([
    tf.layers.embedding({ name: 'chars', inputDim: vocabulary.size, outputDim: context }).apply(ids) as tf.SymbolicTensor,
    tf.layers.embedding({ name: 'places', inputDim: context, outputDim: context }).apply(where) as tf.SymbolicTensor,
  ]) as tf.SymbolicTensor;
  const masked =
    feedMaskTo === 'dense'
      ? (tf.layers.add({ name: 'merge' }).apply([embedded, tf.layers.dense({ name: 'mask_dense', units: context }).apply(square) as tf.SymbolicTensor]) as tf.SymbolicTensor)
      : ((mask === 'Add' ? tf.layers.add({ name: 'merge' }) : tf.layers.multiply({ name: 'merge' })).apply([embedded, square]) as tf.SymbolicTensor);
  const output = tf.layers.dense({ name: 'next', units: vocabulary.size, activation: 'softmax' }).apply(masked) as tf.SymbolicTensor;
  return tf.model({ name: 'own-names', inputs: [square, ids, where], outputs: output });
}

describe('the text source finds what each model input is', () => {
  it("feeds gpt()'s named inputs exactly what gptInputs makes", async () => {
    const model = gpt({ vocabSize: vocabulary.size, context, dModel: 8, heads: 2, blocks: 1, seed: 1 });
    const xs = await firstBatch(model);
    const expected = gptInputs(xs['tokens'] as tf.Tensor);
    for (const [k, name] of ['tokens', 'positions', 'causal_mask'].entries()) {
      expect(Array.from(await (xs[name] as tf.Tensor).data())).toEqual(Array.from(await (expected[k] as tf.Tensor).data()));
    }
    tf.dispose([...Object.values(xs), ...expected]);
    disposeModel(model);
  });

  it.each([
    ['Add', -1e9, 0],
    ['Multiply', 0, 1],
  ] as const)('reads inputs of its own names by structure; a mask into %s is %s above the diagonal, %s on and below it', async (kind, above, below) => {
    const model = ownNames(kind);
    const xs = await firstBatch(model);
    expect(Object.keys(xs).sort()).toEqual(['char_ids', 'square', 'where']);
    expect((xs['char_ids'] as tf.Tensor).dtype).toBe('int32');
    expect(Array.from(await (xs['where'] as tf.Tensor).data()).slice(0, 2 * context)).toEqual([...Array(context).keys(), ...Array(context).keys()]);
    const mask = (await (xs['square'] as tf.Tensor).array()) as number[][][];
    expect(mask[1]?.[2]).toEqual(Array.from({ length: context }, (_, key) => (key > 2 ? above : below)));
    tf.dispose(Object.values(xs));
    disposeModel(model);
  });

  it('refuses a square input that feeds a layer other than Add or Multiply, naming it', async () => {
    const model = ownNames('Add', 'dense');
    await expect(firstBatch(model)).rejects.toMatchObject({ code: 'UNSUPPORTED_MODEL', message: expect.stringMatching(/^Input "square" \[8, 8\] looks like a mask but feeds Dense/) as unknown });
    disposeModel(model);
  });

  it('refuses two id inputs when neither Embedding has the vocabulary size (tokens unclear)', async () => {
    const a = tf.input({ name: 'a', shape: [context], dtype: 'int32' });
    const b = tf.input({ name: 'b', shape: [context], dtype: 'int32' });
    const sum = tf.layers.add().apply([
      tf.layers.embedding({ inputDim: context, outputDim: 4 }).apply(a) as tf.SymbolicTensor,
      tf.layers.embedding({ inputDim: context, outputDim: 4 }).apply(b) as tf.SymbolicTensor,
    ]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: vocabulary.size }).apply(sum) as tf.SymbolicTensor });
    await expect(firstBatch(model)).rejects.toMatchObject({ code: 'UNSUPPORTED_MODEL', message: expect.stringContaining('which is the tokens is unclear') as unknown });
    disposeModel(model);
  });
});
