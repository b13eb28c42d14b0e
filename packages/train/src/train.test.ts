import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { loadMnist, type Dataset } from '@graft/datasets';
import { buildTinyModel, weightBytes } from './test-fixtures/tiny-model.mjs';
import { evaluate } from './evaluate.js';
import { train } from './train.js';
import type { TrainOptions } from './types.js';

let data: Dataset;
const quiet: TrainOptions = { progress: 'none' };

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 256, test: 64 } });
});

describe('train', () => {
  it('learns, and reports per-epoch loss, accuracy in percent, speed and the trained layers', async () => {
    const model = buildTinyModel(tf);
    const history = await train(model, data, { ...quiet, epochs: 3, seed: 1, learningRate: 1e-2 });
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.stoppedEarly).toBe(false);
    expect(history.seed).toBe(1);
    expect(history.resumedFromEpoch).toBeUndefined();
    const [first, , last] = history.epochs;
    if (first === undefined || last === undefined) throw new Error('missing epochs');
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(last.testAccuracy).toBeGreaterThan(50);
    for (const e of history.epochs) {
      expect(e.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.trainAccuracy).toBeLessThanOrEqual(100);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
      expect(e.seconds).toBeGreaterThan(0);
      expect(e.trainable).toEqual(['hidden', 'added', 'out']);
    }
    expect(last.testLoss).toBeCloseTo((await evaluate(model, data.test)).loss, 6);
  });

  it('gives bit-identical weights for the same seed, and different ones for another seed', async () => {
    const run = async (seed: number): Promise<Map<string, Buffer>> => {
      const model = buildTinyModel(tf);
      await train(model, data, { ...quiet, epochs: 2, seed });
      return weightBytes(model);
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    for (const [name, bytes] of a) {
      expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
    }
    expect([...a].some(([name, bytes]) => !bytes.equals(c.get(name) as Buffer))).toBe(true);
  });

  it('leaks no tensors across epochs or after the run', async () => {
    const model = buildTinyModel(tf);
    const before = tf.memory().numTensors;
    const atEpochEnd: number[] = [];
    await train(model, data, {
      ...quiet,
      epochs: 4,
      seed: 2,
      evaluateTrain: true,
      onEpochEnd: () => void atEpochEnd.push(tf.memory().numTensors),
    });
    // Epoch 1 creates Adam's moment variables; after that the count must not move.
    expect(new Set(atEpochEnd.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('calls onBatchEnd for every batch and onEpochEnd with the history so far', async () => {
    const batches: string[] = [];
    const epochs: number[] = [];
    await train(buildTinyModel(tf), { train: data.train.take(100) }, {
      ...quiet,
      epochs: 2,
      batchSize: 40,
      onBatchEnd: (b) => void batches.push(`${b.epoch}:${b.batch}/${b.batches}:${b.size}`),
      onEpochEnd: (stats, history) => void epochs.push(stats.epoch * 10 + history.epochs.length),
    });
    expect(batches).toEqual(['1:1/3:40', '1:2/3:40', '1:3/3:20', '2:1/3:40', '2:2/3:40', '2:3/3:20']);
    expect(epochs).toEqual([11, 22]);
  });

  it('measures train loss with a full pass when evaluateTrain is set', async () => {
    const model = buildTinyModel(tf);
    const history = await train(model, data, { ...quiet, seed: 3, evaluateTrain: true });
    const measured = await evaluate(model, data.train);
    expect(history.epochs[0]?.trainLoss).toBeCloseTo(measured.loss, 6);
    expect(history.epochs[0]?.trainAccuracy).toBeCloseTo(measured.accuracy as number, 6);
  });

  it('stops early when the watched metric stops improving', async () => {
    const history = await train(buildTinyModel(tf), data, {
      ...quiet,
      epochs: 5,
      seed: 4,
      // No change is large enough to count, so epoch 1 stays best and patience 2 ends the run after epoch 3.
      earlyStopping: { metric: 'testAccuracy', patience: 2, minDelta: 1000 },
    });
    expect(history.epochs).toHaveLength(3);
    expect(history.stoppedEarly).toBe(true);
  });

  it('accepts sgd, rmsprop and an optimizer instance', async () => {
    for (const optimizer of ['sgd', 'rmsprop', tf.train.adam(1e-3)] as const) {
      const history = await train(buildTinyModel(tf), { train: data.train.take(64) }, { ...quiet, optimizer, seed: 1 });
      expect(Number.isFinite(history.epochs[0]?.trainLoss)).toBe(true);
    }
  });

  it('rejects bad options before training', async () => {
    const bad: TrainOptions[] = [
      { epochs: 0 },
      { batchSize: 1.5 },
      { learningRate: -1 },
      { unfreezeAfter: -1 },
      { resume: true },
      { earlyStopping: { metric: 'trainLoss', patience: 0 } },
      { optimizer: 'adagrad' as 'adam' },
    ];
    for (const options of bad) {
      await expect(train(buildTinyModel(tf), data, { ...quiet, ...options }), JSON.stringify(options)).rejects.toSatisfy((e) =>
        isGraftError(e, 'INVALID_ARGUMENT'),
      );
    }
    await expect(
      train(buildTinyModel(tf), { train: data.train }, { ...quiet, earlyStopping: { metric: 'testLoss', patience: 1 } }),
    ).rejects.toThrow(/needs a non-empty test split/);
  });
});
