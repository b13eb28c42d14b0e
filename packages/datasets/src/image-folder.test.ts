import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGraftError, type Batch } from '@graft/core';
import { fromImageFolder } from './image-folder.js';
import { cpuTempFolder, jpegBytes, pngBytes, removeFolder, writeImageFolder } from './test-support/files.js';

let root: string;

beforeAll(async () => {
  root = await cpuTempFolder('graft-images-');
});

afterAll(() => removeFolder(root));

async function collect(iterable: Iterable<Batch> | AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

describe('fromImageFolder', () => {
  it('lists sorted classes and decodes PNG images exactly, batch by batch', async () => {
    const dir = path.join(root, 'bands');
    await writeImageFolder(dir, ['b', 'a'], 3, 8, 1);
    const source = await fromImageFolder(dir, { size: [8, 8], channels: 1 });
    expect(source.classes).toEqual(['a', 'b']);
    expect(source.size).toBe(6);
    expect(source.note).toBeUndefined();
    const batches = await collect(source.batches(4));
    expect(batches.map((b) => b.ys.shape[0])).toEqual([4, 2]);
    const first = batches[0] as Batch;
    expect((first.xs as tf.Tensor).shape).toEqual([4, 8, 8, 1]);
    expect(Array.from(first.ys.dataSync())).toEqual([0, 0, 0, 1]);
    // The PNG's own pixel, scaled to [0, 1], with no resampling.
    const { PNG } = await import('pngjs');
    const png = PNG.sync.read(await fs.readFile(path.join(dir, 'a', '0.png')));
    expect((first.xs as tf.Tensor).dataSync()[0]).toBeCloseTo((png.data[0] as number) / 255, 6);
    batches.forEach((b) => tf.dispose([b.xs, b.ys]));
  });

  it('resizes and converts other sizes and channels, and says so once with the sizes', async () => {
    const dir = path.join(root, 'mixed');
    await fs.mkdir(path.join(dir, 'red'), { recursive: true });
    await fs.mkdir(path.join(dir, 'blue'), { recursive: true });
    await fs.writeFile(path.join(dir, 'red', 'r.jpg'), jpegBytes(16, 12, () => [250, 10, 10]));
    await fs.writeFile(path.join(dir, 'blue', 'b.png'), pngBytes(8, 8, () => [10, 10, 250]));
    const source = await fromImageFolder(dir, { size: [8, 8], channels: 1 });
    expect(source.note).toBe('note: images are resized and converted to 8×8×1 as they are read (found 8×8×3 in 1 of 2, e.g. blue/b.png; 12×16×3 in 1 of 2, e.g. red/r.jpg).');
    const [batch] = await collect(source.batches(2));
    const xs = (batch as Batch).xs as tf.Tensor;
    expect(xs.shape).toEqual([2, 8, 8, 1]);
    // Luma of (10, 10, 250) and of a JPEG's near-(250, 10, 10).
    expect(xs.dataSync()[0]).toBeCloseTo((0.299 * 10 + 0.587 * 10 + 0.114 * 250) / 255, 5);
    expect(xs.dataSync()[64]).toBeCloseTo((0.299 * 250 + 0.587 * 10 + 0.114 * 10) / 255, 1);
    tf.dispose([xs, (batch as Batch).ys]);
  });

  it('refuses a class folder with no images, a single class, and an unreadable image (file named)', async () => {
    const empty = path.join(root, 'empty');
    await writeImageFolder(empty, ['a'], 1, 4, 1);
    await fs.mkdir(path.join(empty, 'b'));
    await expect(fromImageFolder(empty, { size: [4, 4] })).rejects.toSatisfy((e) => isGraftError(e, 'DATA_INVALID') && /empty[/\\]b holds no \.png, \.jpg or \.jpeg images/.test((e as Error).message));
    const single = path.join(root, 'single');
    await writeImageFolder(single, ['a'], 1, 4, 1);
    await expect(fromImageFolder(single, { size: [4, 4] })).rejects.toThrow(/has 1 class folder\(s\) \(a\); expected at least 2/);
    const broken = path.join(root, 'broken');
    await writeImageFolder(broken, ['a', 'b'], 1, 4, 1);
    await fs.writeFile(path.join(broken, 'b', 'bad.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    await expect(fromImageFolder(broken, { size: [4, 4] })).rejects.toSatisfy((e) => isGraftError(e, 'DATA_INVALID') && /bad\.png cannot be decoded as PNG/.test((e as Error).message));
    await fs.writeFile(path.join(broken, 'b', 'bad.png'), 'not an image');
    await expect(fromImageFolder(broken, { size: [4, 4] })).rejects.toThrow(/bad\.png is not a PNG or JPEG image/);
    await expect(fromImageFolder(path.join(root, 'nowhere'), { size: [4, 4] })).rejects.toSatisfy((e) => isGraftError(e, 'DATA_NOT_FOUND'));
  });
});
