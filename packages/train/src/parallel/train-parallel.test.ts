import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch, BatchSource } from '@graft/core';
import { loadMnist, type Dataset } from '@graft/datasets';
import { gpt, gptInputs } from '@graft/models';
import { buildTinyModel, weightBytes } from '../test-fixtures/tiny-model.mjs';
import { memoryCheckpoint } from '../checkpoint-store.js';
import { train } from '../train.js';
import type { BatchStats, TrainOptions } from '../types.js';

let data: Dataset;
const quiet: TrainOptions = { progress: 'none' };

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 200, test: 40 } });
});

const same = (a: Map<string, Buffer>, b: Map<string, Buffer>, name: string): boolean => (a.get(name) as Buffer).equals(b.get(name) as Buffer);

describe('train with workers', () => {
  it('gives bit-identical weights for the same seed and worker count, and the same loss curve as one worker', async () => {
    const run = async (workers: number): Promise<{ weights: Map<string, Buffer>; losses: number[]; history: Awaited<ReturnType<typeof train>> }> => {
      const model = buildTinyModel(tf);
      const history = await train(model, data, { ...quiet, epochs: 2, seed: 7, batchSize: 25, workers });
      return { weights: weightBytes(model), losses: history.epochs.map((e) => e.trainLoss), history };
    };
    const [two, again, one] = [await run(2), await run(2), await run(1)];
    expect(two.history.workers).toBe(2);
    expect(one.history.workers).toBe(1);
    for (const name of two.weights.keys()) expect(same(two.weights, again.weights, name), name).toBe(true);
    two.losses.forEach((loss, k) => expect(loss).toBeCloseTo(one.losses[k] as number, 4));
    expect(two.history.epochs[1]?.testAccuracy).toBeCloseTo(one.history.epochs[1]?.testAccuracy as number, 0);
    // Rounding differs between worker counts, so the weights are close but (almost surely) not the same bits.
    expect([...two.weights.keys()].some((name) => !same(two.weights, one.weights, name))).toBe(true);
  });

  it('keeps frozen weights bit-identical under a freezing schedule, reports every batch, and leaks no tensors', async () => {
    const model = buildTinyModel(tf);
    const initial = weightBytes(model);
    const atEpochEnd: Array<Map<string, Buffer>> = [];
    const batches: BatchStats[] = [];
    const tensors = tf.memory().numTensors;
    const history = await train(model, data, {
      ...quiet, epochs: 2, seed: 3, batchSize: 40, workers: 2, trainable: 'new', unfreezeAfter: 1,
      onEpochEnd: () => void atEpochEnd.push(weightBytes(model)),
      onBatchEnd: (stats) => void batches.push(stats),
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(history.epochs.map((e) => e.trainable)).toEqual([['added'], ['hidden', 'added', 'out']]);
    const [afterFrozen, afterAll] = atEpochEnd;
    if (afterFrozen === undefined || afterAll === undefined) throw new Error('missing epochs');
    for (const name of initial.keys()) {
      expect(same(initial, afterFrozen, name), name).toBe(!name.startsWith('added/'));
      expect(same(initial, afterAll, name), name).toBe(false);
    }
    expect(batches.map((b) => b.batch)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(batches.every((b) => Number.isFinite(b.loss) && b.size === 40)).toBe(true);
  });

  it('resumes from a checkpoint bit-identically to an uninterrupted run', async () => {
    const options: TrainOptions = { ...quiet, seed: 5, batchSize: 50, workers: 2, trainable: 'new', unfreezeAfter: 1 };
    const straight = buildTinyModel(tf);
    await train(straight, data, { ...options, epochs: 3 });
    const store = memoryCheckpoint();
    const interrupted = buildTinyModel(tf);
    await train(interrupted, data, { ...options, epochs: 2, checkpoint: store });
    const afterTwo = memoryCheckpoint();
    await afterTwo.write((await store.read())?.files ?? new Map());
    const resumed = buildTinyModel(tf);
    const history = await train(resumed, data, { ...options, epochs: 3, checkpoint: store, resume: true });
    expect(history.resumedFromEpoch).toBe(2);
    const want = weightBytes(straight);
    const got = weightBytes(resumed);
    for (const name of want.keys()) expect(same(want, got, name), name).toBe(true);
    // The optimizer state is stored in tfjs' own layout, so one thread continues the same checkpoint closely.
    const single = buildTinyModel(tf);
    const continued = await train(single, data, { ...options, workers: 1, epochs: 3, checkpoint: afterTwo, resume: true });
    expect(continued.resumedFromEpoch).toBe(2);
    expect(continued.workers).toBe(1);
    const close = single.weights.every((w, k) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(w.read(), (straight.weights[k] as tf.LayerVariable).read()))).dataSync()[0] as number) < 1e-4,
    );
    expect(close).toBe(true);
    expect(weightBytes(single).get('hidden/kernel')?.equals(weightBytes(interrupted).get('hidden/kernel') as Buffer)).toBe(false);
  });

  it("uses one worker by default for a model too small to gain, and refuses a bad count before training", async () => {
    const history = await train(buildTinyModel(tf), data, { ...quiet, epochs: 1, seed: 1 });
    expect(history.workers).toBe(1);
    await expect(train(buildTinyModel(tf), data, { ...quiet, workers: 0 })).rejects.toThrow(/workers must be 'auto' or a positive integer; got 0/);
  });

  it('trains a multi-input language model (int32 tokens, positions and a mask per sample) the same on two workers', async () => {
    // 24 sequences of a counting pattern: the next token is predictable, so the loss falls.
    const sequences = Array.from({ length: 24 }, (_, row) => Array.from({ length: 9 }, (_, t) => (row + 2 * t) % 12));
    const source: BatchSource = {
      size: sequences.length,
      *batches(batchSize: number): Iterable<Batch> {
        for (let start = 0; start < sequences.length; start += batchSize) {
          const rows = sequences.slice(start, start + batchSize);
          yield { xs: gptInputs(rows.map((r) => r.slice(0, 8))), ys: tf.tensor2d(rows.map((r) => r.slice(1)), [rows.length, 8], 'int32') };
        }
      },
    };
    const run = async (workers: number): Promise<number[]> => {
      const model = gpt({ vocabSize: 12, context: 8, dModel: 16, heads: 2, blocks: 1, mlpRatio: 2, seed: 1 });
      const history = await train(model, { train: source }, { ...quiet, epochs: 2, batchSize: 8, seed: 2, task: 'language-model', learningRate: 1e-2, workers });
      expect(history.workers).toBe(workers);
      return history.epochs.map((e) => e.trainLoss);
    };
    const [one, two] = [await run(1), await run(2)];
    two.forEach((loss, k) => expect(loss).toBeCloseTo(one[k] as number, 4));
    expect(one[1]).toBeLessThan(one[0] as number);
  });
});
