import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { seededRandom } from '@graft/core';

/** PNG bytes of a `width`×`height` image whose pixels `pixel(x, y)` gives as [r, g, b]. */
export function pngBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set([...pixel(x, y), 255], 4 * (y * width + x));
  }
  return PNG.sync.write(png);
}

/** JPEG bytes (quality 95) of an image made the same way. */
export function jpegBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], 4 * (y * width + x));
  }
  return jpeg.encode({ data, width, height }, 95).data;
}

/**
 * Writes `dir/<class>/<n>.png` images: class `k` is bright in its own vertical band, so a small model can tell
 * them apart. Seeded noise keeps images distinct.
 */
export async function writeImageFolder(dir: string, classes: readonly string[], perClass: number, size: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  for (const [k, name] of classes.entries()) {
    await fs.mkdir(path.join(dir, name), { recursive: true });
    for (let n = 0; n < perClass; n++) {
      const band = (x: number): boolean => Math.floor((x * classes.length) / size) === k;
      const bytes = pngBytes(size, size, (x) => {
        const v = Math.round((band(x) ? 200 : 30) + 40 * random());
        return [v, v, v];
      });
      await fs.writeFile(path.join(dir, name, `${n}.png`), bytes);
    }
  }
}

/** Puts tfjs on cpu and makes a fresh temporary folder named `prefix…`, for a test file's `beforeAll`. */
export async function cpuTempFolder(prefix: string): Promise<string> {
  await tf.setBackend('cpu');
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Removes a folder made by {@link cpuTempFolder}, for a test file's `afterAll`. */
export async function removeFolder(root: string): Promise<void> {
  await fs.rm(root, { recursive: true, force: true });
}
