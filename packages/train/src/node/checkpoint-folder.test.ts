import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { loadMnist, type Dataset } from '@graft/datasets';
import { buildTinyModel, weightBytes } from '../test-fixtures/tiny-model.mjs';
import { train } from '../train.js';
import { checkpointFolder } from './checkpoint-folder.js';
import type { TrainOptions } from '../types.js';

let data: Dataset;
let root: string;
// Adam across an unfreeze: the case where optimizer state is easiest to get wrong.
const run: TrainOptions = { progress: 'none', epochs: 3, seed: 9, trainable: 'new', unfreezeAfter: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 128, test: 32 } });
  root = await fs.mkdtemp(path.join(tmpdir(), 'graft-train-checkpoint-'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function uninterrupted(): Promise<Map<string, Buffer>> {
  const model = buildTinyModel(tf);
  await train(model, data, run);
  return weightBytes(model);
}

function expectSameBits(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
}

async function expectInvalid(promise: Promise<unknown>, text: RegExp): Promise<void> {
  await expect(promise).rejects.toSatisfy((e) => isGraftError(e, 'CHECKPOINT_INVALID') && text.test((e as Error).message));
}

describe('checkpoints', () => {
  it('resumes after the last finished epoch with bit-identical weights and optimizer state', async () => {
    const dir = path.join(root, 'resume');
    const first = await train(buildTinyModel(tf), data, { ...run, epochs: 2, checkpoint: checkpointFolder(dir) });
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as { epoch: number };
    expect(state.epoch).toBe(2);
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'optimizer.bin', 'state.json', 'weights.bin']);

    const model = buildTinyModel(tf);
    const resumed = await train(model, data, { ...run, checkpoint: checkpointFolder(dir), resume: true });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.epochs.slice(0, 2)).toEqual(first.epochs);
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expectSameBits(weightBytes(model), await uninterrupted());
  });

  it('returns at once when the checkpoint already holds every epoch, and starts fresh when there is none', async () => {
    const dir = path.join(root, 'done');
    await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(dir) });
    const again = await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(dir), resume: true });
    expect(again.resumedFromEpoch).toBe(1);
    expect(again.epochs).toHaveLength(1);
    const fresh = await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(path.join(root, 'none')), resume: true });
    expect(fresh.resumedFromEpoch).toBeUndefined();
  });

  it('recovers a write interrupted between its two renames', async () => {
    const dir = path.join(root, 'renamed');
    await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(dir) });
    await fs.rename(dir, `${dir}.previous`);
    const model = buildTinyModel(tf);
    const resumed = await train(model, data, { ...run, checkpoint: checkpointFolder(dir), resume: true });
    expect(resumed.resumedFromEpoch).toBe(1);
    expectSameBits(weightBytes(model), await uninterrupted());
    await expect(fs.stat(`${dir}.previous`)).rejects.toThrow();
  });

  it('rejects corrupt checkpoints, naming the file', async () => {
    const dir = path.join(root, 'corrupt');
    const fresh = async (): Promise<void> => {
      await fs.rm(dir, { recursive: true, force: true });
      await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(dir) });
    };
    const resume = (): Promise<unknown> => train(buildTinyModel(tf), data, { ...run, checkpoint: checkpointFolder(dir), resume: true });

    await fresh();
    await fs.truncate(path.join(dir, 'weights.bin'), 100);
    await expectInvalid(resume(), /weights\.bin is 100 bytes/);

    await fresh();
    await fs.truncate(path.join(dir, 'optimizer.bin'), 8);
    await expectInvalid(resume(), /optimizer\.bin is 8 bytes/);

    await fresh();
    await fs.writeFile(path.join(dir, 'state.json'), '{"format":');
    await expectInvalid(resume(), /state\.json is not valid JSON/);

    await fresh();
    await fs.rm(path.join(dir, 'state.json'));
    await expectInvalid(resume(), /state\.json is missing/);

    await fresh();
    await fs.rm(path.join(dir, 'model.json'));
    await expectInvalid(resume(), /model\.json cannot be read/);
  });

  it('rejects a checkpoint of another model, seed, optimizer or trainable schedule', async () => {
    const dir = path.join(root, 'other');
    await train(buildTinyModel(tf), data, { ...run, epochs: 1, checkpoint: checkpointFolder(dir) });
    const other = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' })],
    });
    await expectInvalid(train(other, data, { progress: 'none', epochs: 2, checkpoint: checkpointFolder(dir), resume: true }), /written for another model/);
    await expectInvalid(train(buildTinyModel(tf), data, { ...run, seed: 10, checkpoint: checkpointFolder(dir), resume: true }), /seed 9/);
    await expectInvalid(train(buildTinyModel(tf), data, { ...run, optimizer: 'sgd', checkpoint: checkpointFolder(dir), resume: true }), /trained with Adam/);
    await expectInvalid(
      train(buildTinyModel(tf), data, { ...run, trainable: 'all', checkpoint: checkpointFolder(dir), resume: true }),
      /another trainable schedule \(optimizer state for added\/kernel, added\/bias;/,
    );
  });
});
