import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { decodeImage, type DecodedImage } from './decode-image.js';
import { IndexedSource } from './indexed-source.js';

/** Options of {@link fromImageFolder}. */
export interface ImageFolderOptions {
  /** `[height, width]` every image is given (resized bilinearly when it differs). */
  readonly size: readonly [number, number];
  /** 1 (grayscale) or 3 (RGB); images with other channels are converted. Default 3. */
  readonly channels?: 1 | 3;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * A folder of class folders, `dir/<class>/*.png|jpg|jpeg`, as a batch source: classes sorted by name, `xs` float32
 * `[n, height, width, channels]` in [0, 1], `ys` int32 class indices. Every image is decoded once up front (pngjs,
 * jpeg-js) to check it, then again per batch as training reads it, so folders larger than memory train. Images of
 * another size or channel count are resized (bilinear) and converted (luma for grayscale); `note` says so once.
 *
 * @throws GraftError `DATA_NOT_FOUND` when `dir` is missing; `DATA_INVALID` for fewer than 2 class folders, a class
 * folder with no images, or an image that cannot be decoded (file named); `INVALID_ARGUMENT` for a bad size.
 */
export async function fromImageFolder(dir: string, options: ImageFolderOptions): Promise<IndexedSource> {
  const [height, width] = options.size;
  const channels = options.channels ?? 3;
  if (![height, width].every((n) => Number.isInteger(n) && n > 0) || (channels !== 1 && channels !== 3)) {
    throw new GraftError('INVALID_ARGUMENT', `fromImageFolder needs a positive integer size [height, width] and 1 or 3 channels; got [${options.size.join(', ')}] and ${channels}.`);
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new GraftError('DATA_NOT_FOUND', `${dir}: folder not found or unreadable (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`, { cause });
  });
  const classes = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (classes.length < 2) {
    throw new GraftError('DATA_INVALID', `${dir} has ${classes.length} class folder(s)${classes.length > 0 ? ` (${classes.join(', ')})` : ''}; expected at least 2 (DIR/<class>/*.png|jpg|jpeg).`);
  }
  const files: string[] = [];
  const labelList: number[] = [];
  for (const [label, name] of classes.entries()) {
    const folder = path.join(dir, name);
    const images = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && IMAGE_FILE.test(e.name)).map((e) => e.name).sort();
    if (images.length === 0) throw new GraftError('DATA_INVALID', `${folder} holds no .png, .jpg or .jpeg images; every class folder needs at least one.`);
    for (const image of images) {
      files.push(path.join(folder, image));
      labelList.push(label);
    }
  }
  const labels = Int32Array.from(labelList);
  const odd = new Map<string, { count: number; example: string }>();
  for (const file of files) {
    const image = decodeImage(await readFile(file), file);
    const found = `${image.height}×${image.width}×${image.channels}`;
    if (found !== `${height}×${width}×${channels}`) {
      const seen = odd.get(found) ?? { count: 0, example: path.relative(dir, file) };
      odd.set(found, { ...seen, count: seen.count + 1 });
    }
  }
  const note =
    odd.size === 0
      ? undefined
      : `note: images are resized and converted to ${height}×${width}×${channels} as they are read (found ${[...odd].map(([size, { count, example }]) => `${size} in ${count} of ${files.length}, e.g. ${example}`).join('; ')}).`;
  const load = async (ids: Uint32Array) => {
    const decoded = await Promise.all(Array.from(ids, async (id) => decodeImage(await readFile(files[id] as string), files[id] as string)));
    return tf.tidy(() => ({
      xs: tf.stack(decoded.map((image) => toTensor(image, height, width, channels))),
      ys: tf.tensor1d(Int32Array.from(ids, (id) => labels[id] as number), 'int32'),
    }));
  };
  return new IndexedSource(files.length, load, { labels, classes, async: true, sampleShape: [height, width, channels], ...(note === undefined ? {} : { note }) });
}

/** One image as float32 `[height, width, channels]` in [0, 1], converted and resized as needed. */
function toTensor(image: DecodedImage, height: number, width: number, channels: 1 | 3): tf.Tensor3D {
  const pixels = image.width * image.height;
  const values = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = [image.rgba[4 * p] as number, image.rgba[4 * p + 1] as number, image.rgba[4 * p + 2] as number];
    if (channels === 3) values.set([r / 255, g / 255, b / 255], 3 * p);
    // ITU-R BT.601 luma, as most image libraries convert to grayscale; gray pixels stay exact.
    else values[p] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  const tensor = tf.tensor3d(values, [image.height, image.width, channels]);
  return image.height === height && image.width === width ? tensor : tf.image.resizeBilinear(tensor, [height, width]);
}
