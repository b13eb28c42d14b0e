import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';

/** One split of the bundled MNIST slice: raw bytes as shipped. */
export interface SliceSplit {
  readonly size: number;
  /** Pixels 0..255, 784 per image, row-major. */
  readonly images: Uint8Array;
  /** Digit 0..9 of each image. */
  readonly labels: Uint8Array;
}

/** The small slice of MNIST the page ships (see scripts/prepare-assets.mjs). */
export interface MnistSlice {
  readonly source: string;
  readonly train: SliceSplit;
  readonly test: SliceSplit;
}

const PIXELS = 28 * 28;

async function bytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new GraftError('DATA_NOT_FOUND', `Cannot fetch ${url.pathname}: HTTP ${response.status}; expected the page's MNIST slice.`);
  return new Uint8Array(await response.arrayBuffer());
}

async function split(base: URL, entry: { size: number; images: string; labels: string }, name: string): Promise<SliceSplit> {
  const [images, labels] = await Promise.all([bytes(new URL(entry.images, base)), bytes(new URL(entry.labels, base))]);
  if (images.length !== entry.size * PIXELS || labels.length !== entry.size || labels.some((l) => l > 9)) {
    throw new GraftError('DATA_INVALID', `The ${name} slice holds ${images.length} pixel bytes and ${labels.length} labels; expected ${entry.size} images of 28×28 and labels 0..9.`);
  }
  return { size: entry.size, images, labels };
}

/**
 * Fetches and checks the slice described by `manifestUrl` (`mnist-slice.json` beside its `.bin` files).
 * @throws GraftError `DATA_NOT_FOUND` when a file is missing, `DATA_INVALID` when sizes or labels are wrong.
 */
export async function loadMnistSlice(manifestUrl: URL): Promise<MnistSlice> {
  const manifest = JSON.parse(new TextDecoder().decode(await bytes(manifestUrl))) as {
    source: string;
    train: { size: number; images: string; labels: string };
    test: { size: number; images: string; labels: string };
  };
  const [train, test] = await Promise.all([split(manifestUrl, manifest.train, 'train'), split(manifestUrl, manifest.test, 'test')]);
  return { source: manifest.source, train, test };
}

/** Images `start..end` of `split` as a `[n, 28, 28, 1]` float tensor in [0, 1] and one-hot labels. */
export function sliceTensors(split: SliceSplit, start = 0, end = split.size): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const n = end - start;
    const xs = tf.tensor4d(split.images.subarray(start * PIXELS, end * PIXELS), [n, 28, 28, 1], 'int32').toFloat().div<tf.Tensor4D>(255);
    const ys = tf.oneHot(tf.tensor1d(split.labels.subarray(start, end), 'int32'), 10).toFloat() as tf.Tensor2D;
    return { xs, ys };
  });
}

/** Fraction of `split`'s images whose most likely class under `model` is their label. */
export function accuracy(model: tf.LayersModel, split: SliceSplit): number {
  const { xs, ys } = sliceTensors(split);
  const correct = tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1).equal(ys.argMax(-1)).sum().dataSync()[0] ?? 0);
  xs.dispose();
  ys.dispose();
  return correct / split.size;
}
