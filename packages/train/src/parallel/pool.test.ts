import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { useBestBackend } from '@graft/engine';
import { loadMnist, type Dataset } from '@graft/datasets';
import { mnistSeed } from '@graft/models';
import { buildTinyModel, weightBytes } from '../test-fixtures/tiny-model.mjs';
import { optimizerState, type NamedTensor } from '../optimizer.js';
import { startReplicaPool, type ReplicaPool } from './pool.js';

let data: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 160, test: 16 } });
});

/** `steps` batches of `size` (the last ones uneven on purpose), always the same for the same seed. */
function batches(size: number, steps: number): Array<{ xs: tf.Tensor; ys: tf.Tensor }> {
  const out: Array<{ xs: tf.Tensor; ys: tf.Tensor }> = [];
  for (const batch of data.train.batches(size, { shuffle: true, seed: 3 })) {
    if (out.length === steps) {
      tf.dispose([batch.xs, batch.ys]);
      continue;
    }
    out.push({ xs: batch.xs, ys: batch.ys });
  }
  return out;
}

/** The single-thread step of train.ts, as the reference the replicas must reproduce. */
function referenceStep(model: tf.LayersModel, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor, variables: tf.Variable[]): number {
  const cost = tf.tidy(() =>
    optimizer.minimize(() => {
      const predictions = model.apply(xs, { training: true }) as tf.Tensor;
      return tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(ys, predictions));
    }, true, variables) as tf.Scalar,
  );
  const loss = cost.dataSync()[0] as number;
  cost.dispose();
  return loss;
}

function trainableNames(model: tf.LayersModel): { layers: string[]; weightNames: string[]; variables: tf.Variable[] } {
  const weights = model.trainableWeights;
  return {
    layers: model.layers.filter((layer) => layer.trainableWeights.length > 0).map((layer) => layer.name),
    weightNames: weights.map((w) => w.originalName),
    variables: weights.map((w) => w.read() as tf.Variable),
  };
}

function maxDifference(a: tf.LayersModel, b: tf.LayersModel): number {
  return Math.max(...a.weights.map((w, k) => tf.tidy(() => tf.max(tf.abs(tf.sub(w.read(), (b.weights[k] as tf.LayerVariable).read()))).dataSync()[0] as number)));
}

function expectReplicasIdentical(replicas: Array<Map<string, Uint8Array>>): void {
  const [first, ...rest] = replicas;
  if (first === undefined) throw new Error('no replicas');
  for (const other of rest) {
    for (const [name, bytes] of first) expect(Buffer.from(bytes).equals(Buffer.from(other.get(name) as Uint8Array)), name).toBe(true);
  }
}

const open: ReplicaPool[] = [];
afterAll(async () => {
  await Promise.all(open.map((pool) => pool.dispose()));
});

async function pool(model: tf.LayersModel, workers: number, optimizer: tf.Optimizer): Promise<ReplicaPool> {
  const started = await startReplicaPool(model, { workers, optimizer, task: 'classification' });
  open.push(started);
  return started;
}

/**
 * A model trained by `workers` replicas and its twin trained on this thread as the reference, each with its own
 * `optimizer()`, every layer trainable.
 */
async function twins(build: () => tf.LayersModel, workers: number, optimizer: () => tf.Optimizer) {
  const reference = build();
  const parallel = build();
  const referenceOptimizer = optimizer();
  const replicas = await pool(parallel, workers, optimizer());
  const { layers, weightNames, variables } = trainableNames(reference);
  await replicas.setTrainable(layers, weightNames);
  return { reference, parallel, referenceOptimizer, replicas, variables };
}

/** Trains the twins of {@link twins} on the same batches; expects one replica to give the reference's very bits. */
async function expectBitIdenticalWithOneReplica(): Promise<void> {
  const { reference, parallel, referenceOptimizer, replicas, variables } = await twins(() => buildTinyModel(tf), 1, () => tf.train.adam(1e-2));
  for (const { xs, ys } of batches(32, 4)) {
    const expected = referenceStep(reference, referenceOptimizer, xs, ys, variables);
    const step = await replicas.step([xs], ys);
    expect(step.loss).toBe(expected);
    tf.dispose([xs, ys]);
  }
  await replicas.copyWeightsTo(parallel);
  const want = weightBytes(reference);
  for (const [name, bytes] of weightBytes(parallel)) expect(bytes.equals(want.get(name) as Buffer), name).toBe(true);
  // The optimizer state comes back in tfjs' own layout, so a single-thread run (or a checkpoint) continues from it.
  const state = await replicas.optimizerState();
  const expected = await optimizerState(referenceOptimizer);
  expect(state.map((w) => w.tensor.shape)).toEqual(expected.map((w) => w.tensor.shape));
  state.forEach((w, k) => expect(Buffer.from(w.tensor.dataSync().buffer).equals(Buffer.from((expected[k] as NamedTensor).tensor.dataSync().buffer)), w.name).toBe(true));
  tf.dispose([...state.map((w) => w.tensor), ...expected.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable))]);
  referenceOptimizer.dispose();
}

/** Two replicas of the seed MNIST model against the reference: identical to each other, close to it. */
async function expectSeedReplicasIdentical(): Promise<void> {
  const { reference, parallel, referenceOptimizer, replicas, variables } = await twins(mnistSeed, 2, () => tf.train.adam(1e-3));
  for (const { xs, ys } of batches(16, 2)) {
    const expected = referenceStep(reference, referenceOptimizer, xs, ys, variables);
    expect((await replicas.step([xs], ys)).loss).toBeCloseTo(expected, 4);
    tf.dispose([xs, ys]);
  }
  expectReplicasIdentical(await replicas.replicaWeights());
  await replicas.copyWeightsTo(parallel);
  expect(maxDifference(reference, parallel)).toBeLessThan(1e-4);
  referenceOptimizer.dispose();
}

describe('ReplicaPool on a small dense model', () => {
  it('with one replica reproduces the single-thread step bit for bit', expectBitIdenticalWithOneReplica);

  it('with three replicas keeps them bit-identical, through uneven and partly empty shards, and follows the full-batch gradient', async () => {
    const { reference, parallel, referenceOptimizer, replicas, variables } = await twins(() => buildTinyModel(tf), 3, () => tf.train.sgd(0.1));
    // 160 samples in batches of 50: 50, 50, 50, then 10; and a 2-row batch leaves one replica without rows.
    const steps = [...batches(50, 4), ...batches(2, 1)];
    for (const { xs, ys } of steps) {
      const expected = referenceStep(reference, referenceOptimizer, xs, ys, variables);
      const step = await replicas.step([xs], ys);
      expect(step.rows).toBe(ys.shape[0]);
      expect(step.loss).toBeCloseTo(expected, 5);
      tf.dispose([xs, ys]);
    }
    expectReplicasIdentical(await replicas.replicaWeights());
    await replicas.copyWeightsTo(parallel);
    expect(maxDifference(reference, parallel)).toBeLessThan(1e-5);
    expect(maxDifference(reference, buildTinyModel(tf))).toBeGreaterThan(1e-3);
    referenceOptimizer.dispose();
  });

  it('leaves frozen weights bit-identical and leaks no tensors on the main thread', async () => {
    const model = buildTinyModel(tf);
    const before = weightBytes(model);
    const optimizer = tf.train.adam(1e-2);
    const tensors = tf.memory().numTensors;
    const replicas = await pool(model, 2, optimizer);
    await replicas.setTrainable(['added'], ['added/kernel', 'added/bias']);
    for (const { xs, ys } of batches(32, 3)) {
      await replicas.step([xs], ys);
      tf.dispose([xs, ys]);
    }
    await replicas.copyWeightsTo(model);
    const state = await replicas.optimizerState();
    const names = state.map((w) => w.name);
    expect(names.filter((name) => name.startsWith('added/'))).toHaveLength(4);
    expect(names).toEqual(expect.arrayContaining(['graft:accBeta1', 'graft:accBeta2']));
    tf.dispose(state.map((w) => w.tensor));
    await replicas.dispose();
    const after = weightBytes(model);
    for (const [name, bytes] of after) expect(bytes.equals(before.get(name) as Buffer), name).toBe(!name.startsWith('added/'));
    expect(tf.memory().numTensors).toBe(tensors);
    optimizer.dispose();
    const [batch] = batches(4, 1);
    if (batch === undefined) throw new Error('no batch');
    await expect(replicas.step([batch.xs], batch.ys)).rejects.toThrow(/disposed/);
    tf.dispose([batch.xs, batch.ys]);
  });

  it('reports a replica failure as the error, without leaving the other replicas waiting', async () => {
    const replicas = await pool(buildTinyModel(tf), 2, tf.train.sgd(0.1));
    await expect(replicas.setTrainable(['hidden'], ['hidden/nope'])).rejects.toSatisfy((error) => isGraftError(error, 'UNKNOWN_LAYER'));
    const fresh = await pool(buildTinyModel(tf), 2, tf.train.sgd(0.1));
    await fresh.setTrainable(['hidden'], ['hidden/kernel']);
    // One row: replica 1 gets an empty shard and waits at the barrier while replica 0 fails on the wrong shape.
    const xs = tf.zeros([1, 5]);
    const ys = tf.zeros([1, 10]);
    await expect(fresh.step([xs], ys)).rejects.toThrow(/shape|expected/i);
    tf.dispose([xs, ys]);
  });
});

describe('ReplicaPool with BatchNormalization', () => {
  const build = (): tf.Sequential =>
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flatten' }),
        tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), name: 'hidden' }),
        tf.layers.batchNormalization({ name: 'norm' }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), name: 'out' }),
      ],
    });

  it('averages the moving statistics by shard size, so replicas agree and the moving mean is the full batch one', async () => {
    const { reference, parallel, referenceOptimizer, replicas, variables } = await twins(build, 2, () => tf.train.sgd(0.05));
    const moving = (model: tf.LayersModel, name: string): Float32Array =>
      model.weights.find((w) => w.originalName === `norm/${name}`)?.read().dataSync() as Float32Array;
    const start = moving(build(), 'moving_mean');
    const [first, second] = batches(33, 2);
    if (first === undefined || second === undefined) throw new Error('no batches');
    // After one step from the same weights the averaged moving mean is the full batch's, up to rounding.
    referenceStep(reference, referenceOptimizer, first.xs, first.ys, variables);
    await replicas.step([first.xs], first.ys);
    await replicas.copyWeightsTo(parallel);
    const expected = moving(reference, 'moving_mean');
    moving(parallel, 'moving_mean').forEach((value, k) => {
      expect(value).not.toBe(start[k]);
      expect(value).toBeCloseTo(expected[k] as number, 6);
    });
    // Later steps differ a little (each replica normalises with its own shard's statistics), but replicas agree.
    await replicas.step([second.xs], second.ys);
    expectReplicasIdentical(await replicas.replicaWeights());
    tf.dispose([first.xs, first.ys, second.xs, second.ys]);
    referenceOptimizer.dispose();
  });
});

describe('ReplicaPool on the seed MNIST model', () => {
  it('keeps two replicas bit-identical and close to single-thread training', expectSeedReplicasIdentical);
});

// The replicas move values straight between shared memory and the wasm heap (and run graft's fused Adam there).
describe('ReplicaPool on wasm', () => {
  beforeAll(async () => {
    await useBestBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('with one replica reproduces the single-thread step bit for bit', expectBitIdenticalWithOneReplica);

  it('keeps two replicas of the seed model bit-identical and close to single-thread training', expectSeedReplicasIdentical);
});
