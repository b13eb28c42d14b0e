import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBestBackend } from '../backend/use-best-backend.js';
import { mnistSeed } from '@graft/models';

const BACKENDS = ['wasm', 'cpu'] as const;

/** A small net that exercises every conv gradient: conv2d, depthwise (strided, multiplier 2) and separable. */
function buildSmallConvNet(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(2) }),
      tf.layers.separableConv2d({ filters: 3, kernelSize: 2, depthwiseInitializer: init(3), pointwiseInitializer: init(4) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(5) }),
    ],
  });
}

function batch(seed: number, size: number, shape: number[], classes: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomUniform([size, ...shape], -1, 1, 'float32', seed);
    const labels = tf.randomUniform([size], 0, classes, 'float32', seed + 1).floor().toInt();
    return { x, y: tf.oneHot(labels, classes).toFloat() };
  });
}

async function trainLosses(backend: (typeof BACKENDS)[number], steps: number): Promise<{ losses: number[]; weights: Float32Array }> {
  await tf.setBackend(backend);
  const model = buildSmallConvNet();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const { x, y } = batch(7, 6, [8, 8, 2], 3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) losses.push((await model.trainOnBatch(x, y)) as number);
  const weights = Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights };
}

describe('training conv nets on wasm', () => {
  beforeAll(async () => {
    await useBestBackend('wasm', { env: {} });
  });

  it('follows the same loss curve as cpu (conv2d, depthwise and separable layers)', async () => {
    const wasm = await trainLosses('wasm', 8);
    const cpu = await trainLosses('cpu', 8);
    expect(wasm.losses[7]).toBeLessThan(wasm.losses[0]! * 0.9);
    for (let i = 0; i < cpu.losses.length; i++) {
      expect(Math.abs(wasm.losses[i]! - cpu.losses[i]!) / cpu.losses[i]!, `step ${i}`).toBeLessThan(1e-4);
    }
    let worst = 0;
    for (let i = 0; i < cpu.weights.length; i++) worst = Math.max(worst, Math.abs(wasm.weights[i]! - cpu.weights[i]!));
    expect(worst, 'max |wasm - cpu| over trained weights').toBeLessThan(1e-4);
  });

  it.each(BACKENDS)('keeps tf.memory().numTensors unchanged across a training epoch (%s)', async (backend) => {
    await tf.setBackend(backend);
    const model = mnistSeed({ seed: 3 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const { x, y } = batch(11, 16, [28, 28, 1], 10);
    // The first epoch creates the optimizer's slots; the second must not add a single tensor.
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
