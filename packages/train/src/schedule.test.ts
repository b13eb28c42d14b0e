import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { loadMnist, type Dataset } from '@graft/datasets';
import { buildTinyModel, weightBytes } from './test-fixtures/tiny-model.mjs';
import { train } from './train.js';

let data: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 128, test: 32 } });
});

function changed(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...before].filter(([name, bytes]) => !bytes.equals(after.get(name) as Buffer)).map(([name]) => name);
}

describe('freezing schedule', () => {
  it("trains only the layers graft added with trainable: 'new'; the rest stay bit-identical", async () => {
    const model = buildTinyModel(tf);
    const before = weightBytes(model);
    const history = await train(model, data, { progress: 'none', epochs: 2, seed: 1, trainable: 'new' });
    expect(changed(before, weightBytes(model))).toEqual(['added/kernel', 'added/bias']);
    expect(history.epochs.map((e) => e.trainable)).toEqual([['added'], ['added']]);
    expect(model.layers.every((layer) => layer.trainable)).toBe(true);
  });

  it('trains named layers only', async () => {
    const model = buildTinyModel(tf);
    const before = weightBytes(model);
    await train(model, data, { progress: 'none', seed: 1, trainable: ['hidden', 'out'] });
    expect(changed(before, weightBytes(model)).sort()).toEqual(['hidden/bias', 'hidden/kernel', 'out/bias', 'out/kernel']);
  });

  it('unfreezes everything after unfreezeAfter epochs', async () => {
    const model = buildTinyModel(tf);
    const before = weightBytes(model);
    const history = await train(model, data, { progress: 'none', epochs: 3, seed: 1, trainable: 'new', unfreezeAfter: 1 });
    expect(history.epochs.map((e) => e.trainable)).toEqual([['added'], ['hidden', 'added', 'out'], ['hidden', 'added', 'out']]);
    expect(changed(before, weightBytes(model))).toHaveLength(6);
  });

  it("refuses 'new' on a model graft never grew, and names it doesn't have", async () => {
    await expect(train(buildTinyModel(tf, { grown: false }), data, { trainable: 'new' })).rejects.toSatisfy(
      (e) => isGraftError(e, 'INVALID_ARGUMENT') && /records no added layers/.test((e as Error).message),
    );
    await expect(train(buildTinyModel(tf), data, { trainable: ['hidden', 'nope'] })).rejects.toSatisfy(
      (e) => isGraftError(e, 'UNKNOWN_LAYER') && /"nope"/.test((e as Error).message),
    );
    await expect(train(buildTinyModel(tf), data, { trainable: ['flatten'] })).rejects.toThrow(/no trainable weights/);
  });
});
