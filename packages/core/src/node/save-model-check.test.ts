import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from './save-model.js';

const model: tf.LayersModel = getFixture('dense-chain-tanh').build();
let root = '';

beforeAll(async () => void (root = await fs.mkdtemp(path.join(os.tmpdir(), 'graft-save-check-'))));
afterAll(async () => {
  model.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

/** Folders beside the targets that saveModel made and should have removed. */
async function leftovers(): Promise<string[]> {
  return (await fs.readdir(root)).filter((e) => e.includes('.tmp-') || e.includes('.old-'));
}

describe('saveModel with beforeCommit', () => {
  it('runs the check once the files are written in the temporary folder, before they appear at the target', async () => {
    const dir = path.join(root, 'checked');
    const seen: string[][] = [];
    await saveModel(model, dir, {
      beforeCommit: async () => {
        const temp = (await leftovers()).filter((e) => e.startsWith('checked.tmp-'));
        expect(temp).toHaveLength(1);
        seen.push((await fs.readdir(path.join(root, temp[0]!))).sort());
        await expect(fs.stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
      },
    });
    expect(seen).toEqual([['model.json', 'weights.bin']]);
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(await leftovers()).toEqual([]);
  });

  it('saves nothing when the check throws, passes its error on as thrown, and keeps a replaced target intact', async () => {
    const dir = path.join(root, 'kept');
    await saveModel(model, dir);
    const before = await fs.readFile(path.join(dir, 'weights.bin'));
    const refusal = new Error('predictions moved');
    await expect(saveModel(model, dir, { overwrite: true, beforeCommit: () => Promise.reject(refusal) })).rejects.toBe(refusal);
    await expect(saveModel(model, path.join(root, 'never'), { beforeCommit: () => Promise.reject(refusal) })).rejects.toBe(refusal);
    expect(await fs.readFile(path.join(dir, 'weights.bin'))).toEqual(before);
    await expect(fs.stat(path.join(root, 'never'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a target that was filled while the check ran, and leaves what was put there', async () => {
    const dir = path.join(root, 'raced');
    await expect(
      saveModel(model, dir, {
        beforeCommit: async () => {
          await fs.mkdir(dir);
          await fs.writeFile(path.join(dir, 'notes.txt'), 'mine');
        },
      }),
    ).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(await fs.readdir(dir)).toEqual(['notes.txt']);
    expect(await leftovers()).toEqual([]);
  });
});
