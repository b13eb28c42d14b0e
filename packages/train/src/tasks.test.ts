import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { memoryCheckpoint } from './checkpoint-store.js';
import { evaluate } from './evaluate.js';
import { regressionData, regressionModel, tokenData, tokenModel, arraySource } from './test-fixtures/task-data.js';
import { weightBytes } from './test-fixtures/tiny-model.mjs';
import { train } from './train.js';
import type { TrainOptions } from './types.js';

const quiet: TrainOptions = { progress: 'none' };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectSameBits(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
}

describe('regression', () => {
  it('is inferred for a one-unit linear output, trains with MSE, and reports MAE (no accuracy)', async () => {
    const model = regressionModel();
    const history = await train(model, { train: regressionData(256, 1), test: regressionData(64, 2) }, { ...quiet, epochs: 8, seed: 1, learningRate: 0.02 });
    expect(history.task).toBe('regression');
    const [first, last] = [history.epochs[0], history.epochs.at(-1)];
    if (first === undefined || last === undefined) throw new Error('missing epochs');
    expect(Object.keys(last).filter((k) => /^(train|test)[A-Z]/.test(k) && k !== 'trainable').sort()).toEqual(['testLoss', 'testMae', 'trainLoss', 'trainMae']);
    expect(last.trainLoss).toBeLessThan(first.trainLoss / 4);
    expect(last.testMae).toBeLessThan(0.2);
    const measured = await evaluate(model, regressionData(64, 2));
    expect(measured.task).toBe('regression');
    expect(measured.loss).toBeCloseTo(last.testLoss as number, 6);
    expect(measured.mae).toBeCloseTo(last.testMae as number, 6);
    expect(measured.accuracy).toBeUndefined();
  });

  it('stops early on testMae, and refuses a metric of another task in one line', async () => {
    const data = { train: regressionData(64, 1), test: regressionData(32, 2) };
    const history = await train(regressionModel(), data, { ...quiet, epochs: 5, seed: 1, earlyStopping: { metric: 'testMae', patience: 1, minDelta: 1000 } });
    expect(history.epochs).toHaveLength(2);
    await expect(train(regressionModel(), data, { ...quiet, earlyStopping: { metric: 'testAccuracy', patience: 1 } })).rejects.toThrow(
      /^earlyStopping\.metric testAccuracy is not measured for regression; expected one of trainLoss, testLoss, trainMae, testMae\.$/,
    );
  });

  it('resumes through a checkpoint with the weights of an uninterrupted run', async () => {
    const data = { train: regressionData(96, 3), test: regressionData(32, 4) };
    const run: TrainOptions = { ...quiet, epochs: 3, seed: 7, batchSize: 16 };
    const whole = regressionModel();
    await train(whole, data, run);
    const store = memoryCheckpoint();
    const first = await train(regressionModel(), data, { ...run, epochs: 2, checkpoint: store });
    const model = regressionModel();
    const resumed = await train(model, data, { ...run, checkpoint: store, resume: true });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.epochs.slice(0, 2)).toEqual(first.epochs);
    expectSameBits(weightBytes(model), weightBytes(whole));
    // The checkpoint knows its task: a classification run cannot resume from it.
    await expect(train(regressionModel(), data, { ...run, task: 'classification', checkpoint: store, resume: true })).rejects.toThrow(/classification needs an output over 2 or more classes/);
  });
});

describe('per-token classification', () => {
  it('is inferred for [batch, time] labels against a [batch, time, classes] softmax, with accuracy over tokens', async () => {
    const model = tokenModel();
    const history = await train(model, { train: tokenData(128, 1), test: tokenData(32, 2) }, { ...quiet, epochs: 6, seed: 2, learningRate: 0.05 });
    expect(history.task).toBe('classification');
    const last = history.epochs.at(-1);
    expect(last?.testAccuracy).toBeGreaterThan(90);
    expect(last?.trainMae).toBeUndefined();
    const measured = await evaluate(model, tokenData(32, 2), { confusion: true });
    expect(measured.confusion).toHaveLength(5);
    // Every token is counted once: 32 sequences × 6 positions.
    expect(measured.confusion?.flat().reduce((a, b) => a + b, 0)).toBe(32 * 6);
    const diagonal = measured.confusion?.reduce((sum, row, i) => sum + (row[i] ?? 0), 0) ?? 0;
    expect((100 * diagonal) / (32 * 6)).toBeCloseTo(measured.accuracy as number, 6);
  });

  it('resumes through a checkpoint with the weights of an uninterrupted run, across an unfreeze', async () => {
    const data = { train: tokenData(64, 5) };
    const run: TrainOptions = { ...quiet, epochs: 3, seed: 8, batchSize: 16, trainable: ['out'], unfreezeAfter: 1 };
    const whole = tokenModel();
    await train(whole, data, run);
    const store = memoryCheckpoint();
    await train(tokenModel(), data, { ...run, epochs: 1, checkpoint: store });
    const model = tokenModel();
    await train(model, data, { ...run, checkpoint: store, resume: true });
    expectSameBits(weightBytes(model), weightBytes(whole));
    // The embedding stayed frozen in epoch 1 only: it moved by the end.
    const fresh = weightBytes(tokenModel());
    expect((fresh.get('embed/embeddings') as Buffer).equals(weightBytes(model).get('embed/embeddings') as Buffer)).toBe(false);
  });
});

describe('softmax inside a wrapper', () => {
  it('reads the activation of a TimeDistributed(Dense softmax) output, saved and reloaded, as probabilities (not logits)', async () => {
    const built = tf.sequential({
      name: 'wrapped_tagger',
      layers: [
        tf.layers.embedding({ inputDim: 5, outputDim: 4, inputLength: 6, name: 'embed', embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }) }),
        tf.layers.timeDistributed({ name: 'out', layer: tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }) }),
      ],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await built.save(tf.io.withSaveHandler((artifacts) => { saved = artifacts; return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }); }));
    const model = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const xs = Array.from({ length: 16 }, (_, i) => Array.from({ length: 6 }, (_, t) => (i + t) % 5));
    const data = arraySource(xs, xs, [6], [6], 'int32');
    const measured = await evaluate(model, data);
    // The true mean per-token cross-entropy of the probabilities the model gives.
    const probabilities = model.predict(tf.tensor2d(xs, [16, 6], 'int32')) as tf.Tensor;
    const expected = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.tensor2d(xs, [16, 6], 'int32'), 5), tf.log(probabilities)), -1))).dataSync()[0] as number;
    expect(measured.task).toBe('classification');
    expect(measured.loss).toBeCloseTo(expected, 5);
    // Negative control: reading those probabilities as logits gives another loss.
    const asLogits = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.tensor2d(xs, [16, 6], 'int32'), 5), tf.logSoftmax(probabilities)), -1))).dataSync()[0] as number;
    expect(Math.abs(asLogits - expected)).toBeGreaterThan(0.01);
  });
});

describe('language model', () => {
  it('reports per-token loss and perplexity = exp(loss), from logits, when asked for by name', async () => {
    const model = tokenModel('linear');
    const history = await train(model, { train: tokenData(64, 1), test: tokenData(16, 2) }, { ...quiet, task: 'language-model', epochs: 2, seed: 3, learningRate: 0.05 });
    expect(history.task).toBe('language-model');
    const last = history.epochs.at(-1);
    expect(last?.testPerplexity).toBeCloseTo(Math.exp(last?.testLoss as number), 6);
    expect(last?.trainPerplexity).toBeCloseTo(Math.exp(last?.trainLoss as number), 6);
    expect(last?.testAccuracy).toBeUndefined();
    // Auto on the same model reads integer per-token labels against logits as classification.
    expect((await evaluate(model, tokenData(16, 2))).task).toBe('classification');
  });

  it('resumes through a checkpoint, stops early on testPerplexity, and refuses a checkpoint of another task', async () => {
    const data = { train: tokenData(48, 6), test: tokenData(16, 7) };
    const run: TrainOptions = { ...quiet, task: 'language-model', epochs: 3, seed: 5, batchSize: 16 };
    const whole = tokenModel('linear');
    await train(whole, data, run);
    const store = memoryCheckpoint();
    await train(tokenModel('linear'), data, { ...run, epochs: 1, checkpoint: store });
    const model = tokenModel('linear');
    await train(model, data, { ...run, checkpoint: store, resume: true });
    expectSameBits(weightBytes(model), weightBytes(whole));
    await expect(train(tokenModel('linear'), data, { ...run, task: 'classification', checkpoint: store, resume: true })).rejects.toThrow(
      /^The checkpoint in memory was written for language-model; this run is classification\.$/,
    );
    const stopped = await train(tokenModel('linear'), data, { ...run, epochs: 4, earlyStopping: { metric: 'testPerplexity', patience: 1, minDelta: 1e9 } });
    expect(stopped.epochs).toHaveLength(2);
  });
});

describe('task inference and data inputs', () => {
  it('refuses what it cannot infer or what does not fit, in one line naming both shapes', async () => {
    const sigmoid = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'sigmoid' })] });
    const twoClasses = arraySource([[0, 0, 0]], [1], [3], [], 'int32');
    await expect(train(sigmoid, { train: twoClasses }, quiet)).rejects.toThrow(
      /^Cannot infer the task .*: the model gives labels of shape \[\] \(int32\) against output \[2\] \(sigmoid\)\.$/,
    );
    await expect(train(regressionModel(), { train: tokenData(4, 1) }, { ...quiet, task: 'regression' })).rejects.toSatisfy(
      (e) => isGraftError(e, 'INVALID_ARGUMENT') && /regression needs float targets of the output's shape: the model gives labels of shape \[6\]/.test((e as Error).message),
    );
    await expect(train(tokenModel(), { train: regressionData(4, 1) }, quiet)).rejects.toThrow(/classification needs one class index per token/);
    await expect(train(regressionModel(), { train: regressionData(4, 1) }, { ...quiet, task: 'language-model' })).rejects.toThrow(/language-model needs an output over 2 or more classes/);
  });

  it('accepts a tf.data.Dataset of { xs, ys } batches, and inputs keyed by name', async () => {
    const input = tf.input({ shape: [3], name: 'features' });
    const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const rows = Array.from({ length: 40 }, (_, i) => ({ xs: tf.tensor1d([i / 40, 0, 1]), ys: tf.tensor1d([i / 20]) }));
    const dataset = tf.data.array(rows).batch(8) as unknown as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const batches: (number | undefined)[] = [];
    const history = await train(model, { train: dataset }, { ...quiet, epochs: 2, onBatchEnd: (b) => void batches.push(b.batches) });
    expect(history.task).toBe('regression');
    // The dataset's length is known once it has been read through.
    expect(batches.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(batches.slice(5)).toEqual([5, 5, 5, 5, 5]);
    const named = { size: 40, *batches() { yield { xs: { features: tf.ones([40, 3]) }, ys: tf.zeros([40, 1]) }; } };
    expect((await evaluate(model, named)).samples).toBe(40);
    const misnamed = { size: 40, *batches() { yield { xs: { other: tf.ones([40, 3]) }, ys: tf.zeros([40, 1]) }; } };
    await expect(evaluate(model, misnamed)).rejects.toThrow(/A batch has no input named features; model "model\d*" takes features; the batch gives other\./);
    rows.forEach((r) => tf.dispose([r.xs, r.ys]));
  });
});
