/**
 * Measures what inserting a gate after the MNIST reference model's conv layer does to a trained model: the
 * write-up's all-ones kernel against graft's exact gates. Prints a Markdown table (the README's) and JSON.
 *
 *   node packages/conv-gate/dist/bench/all-ones-damage.js [--train 60000] [--test 10000] [--epochs 1] [--seed 1]
 *     [--backend wasm|cpu|tensorflow]
 *
 * Uses the fastest backend `@graft/engine` finds (wasm with graft's training kernels, here) unless `--backend` says.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { fromGraph, grow, toGraph } from '@graft/core';
import { parseBackendName, useBestBackend } from '@graft/engine';
import { mnistSeed } from '@graft/models';
import { loadMnist, type DataSplit } from '@graft/datasets';
import { convGate } from '../conv-gate.js';
import { GATES } from '../options.js';
import { allOnesGate } from './all-ones-gate.js';

interface Row {
  readonly model: string;
  readonly maxAbsDiff: number;
  readonly accuracy: number;
}

const EVAL_BATCH = 250;

/** Softmax outputs of the whole split, batch by batch, plus accuracy against its labels. */
function evaluate(model: tf.LayersModel, split: DataSplit): { probs: Float32Array; accuracy: number } {
  const probs = new Float32Array(split.size * 10);
  let correct = 0;
  for (let start = 0; start < split.size; start += EVAL_BATCH) {
    const batch = split.toTensors(start, Math.min(start + EVAL_BATCH, split.size));
    const [values, predicted] = tf.tidy(() => {
      const out = model.predict(batch.xs) as tf.Tensor2D;
      return [out.dataSync() as Float32Array, out.argMax(1).dataSync()] as const;
    });
    probs.set(values, start * 10);
    predicted.forEach((p, i) => (correct += p === batch.labels[i] ? 1 : 0));
    batch.xs.dispose();
    batch.ys.dispose();
  }
  return { probs, accuracy: correct / split.size };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

async function train(split: DataSplit, epochs: number, seed: number): Promise<tf.LayersModel> {
  const model = mnistSeed({ seed });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const batch of split.batches(32, { shuffle: true, seed: seed + epoch })) {
      await model.trainOnBatch(batch.xs, batch.ys);
      batch.xs.dispose();
      batch.ys.dispose();
    }
  }
  return model;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      train: { type: 'string', default: '60000' },
      test: { type: 'string', default: '10000' },
      epochs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      backend: { type: 'string' },
    },
  });
  const [trainSize, testSize, epochs, seed] = [values.train, values.test, values.epochs, values.seed].map(Number) as [number, number, number, number];
  const backend = await useBestBackend(values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'));
  const data = await loadMnist({ limit: { train: trainSize, test: testSize } });
  const started = Date.now();
  const trained = await train(data.train, epochs, seed);
  const trainSeconds = (Date.now() - started) / 1000;
  const reference = evaluate(trained, data.test);
  const rows: Row[] = [{ model: 'trained reference model', maxAbsDiff: 0, accuracy: reference.accuracy }];

  const measure = (name: string, model: tf.LayersModel): void => {
    const result = evaluate(model, data.test);
    rows.push({ model: name, maxAbsDiff: maxAbsDiff(reference.probs, result.probs), accuracy: result.accuracy });
    model.dispose();
  };
  measure("write-up's all-ones gate: relu(conv3x3, kernel 1, bias 0)", await fromGraph(allOnesGate(toGraph(trained), 'conv').graph));
  for (const gate of GATES) measure(`graft conv-gate, gate=${gate}`, (await grow(trained, convGate({ gate }), { after: 'conv' })).model);

  const setup = `MNIST, reference model (Conv2D 32 3x3 relu → Flatten → Dense 20 relu → Dense 10 softmax), seed ${seed}, trained ${epochs} epoch(s) with Adam 1e-3, batch 32, on the first ${data.train.size} training images (${trainSeconds.toFixed(0)} s, ${backend.name} backend); evaluated on the first ${data.test.size} test images; gate inserted after "conv".`;
  console.log(setup);
  console.log('\n| model | max abs Δ of softmax outputs | test accuracy |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.model} | ${row.maxAbsDiff === 0 ? '0 (bit for bit)' : row.maxAbsDiff.toPrecision(3)} | ${(row.accuracy * 100).toFixed(2)} % |`);
  console.log(`\n${JSON.stringify({ setup: { backend: backend.name, trainSize: data.train.size, testSize: data.test.size, epochs, seed, trainSeconds }, rows })}`);
  trained.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
