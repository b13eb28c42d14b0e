#!/usr/bin/env node
// One bench model trained through @graft/train's train() with the worker count it picks (`workers: 'auto'`), in its
// own process: `node bench-workers.mjs --model seed [--backend wasm] [--steps N] [--batch-size N]`. Prints one JSON
// line `{ model, workers, why, throughput, peakRssMiB }`, the throughput of the second of two epochs (the first
// starts the replicas), in the model's unit. `npm run bench` uses it when train() would use more than one worker.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (file) => import(pathToFileURL(path.join(root, file)).href);
const { values } = parseArgs({ options: { model: { type: 'string' }, backend: { type: 'string' }, steps: { type: 'string' }, 'batch-size': { type: 'string' }, 'choose-only': { type: 'boolean' } } });
const [{ useBestBackend }, { WORKLOADS }, { train, chooseWorkers }] = await Promise.all([
  load('packages/engine/dist/index.js'),
  load('packages/engine/dist/bench/workloads.js'),
  load('packages/train/dist/index.js'),
]);
const workload = WORKLOADS[values.model];
if (workload === undefined) {
  process.stderr.write(`--model takes ${Object.keys(WORKLOADS).join(', ')}.\n`);
  process.exit(2);
}
await useBestBackend(values.backend);
const batchSize = Number(values['batch-size'] ?? workload.defaults.batchSize);
const steps = Number(values.steps ?? workload.defaults.steps);
const model = workload.build();
const choice = chooseWorkers(model, { batchSize });
if (values['choose-only'] || false) {
  process.stdout.write(`${JSON.stringify({ model: workload.model, workers: Number(process.env.W ?? choice.workers), why: choice.why })}\n`);
  process.exit(0);
}
const batch = workload.batches(batchSize);
const languageModel = workload.unit === 'tokens/s';
const source = {
  size: steps * batchSize,
  *batches() {
    for (let i = 0; i < steps; i++) {
      const { xs, ys } = batch(i);
      if (!languageModel) {
        yield { xs, ys };
        continue;
      }
      // train()'s language-model task takes token ids, not one-hot targets.
      const ids = tf.argMax(ys, -1);
      ys.dispose();
      yield { xs, ys: ids };
    }
  },
};
const history = await train(model, { train: source }, {
  epochs: 2,
  batchSize,
  optimizer: 'adam',
  learningRate: 1e-3,
  seed: 1,
  progress: 'none',
  workers: Number(process.env.W ?? choice.workers),
  task: languageModel ? 'language-model' : 'classification',
});
const samplesPerSecond = history.epochs[1]?.samplesPerSecond ?? 0;
const throughput = (samplesPerSecond * workload.itemsPerBatch(batchSize)) / batchSize;
process.stdout.write(`${JSON.stringify({
  model: workload.model,
  workers: Number(process.env.W ?? choice.workers),
  why: choice.why,
  throughput: Math.round(throughput * 10) / 10,
  peakRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
})}\n`);
model.dispose();
