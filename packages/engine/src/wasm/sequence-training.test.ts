import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackend } from '../backend/prepare-backend.js';

const VOCAB = 11;
const TIME = 6;

type Build = () => tf.LayersModel;
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** Embedding → LSTM (last state) → Dense softmax: a text classifier. */
const lstmClassifier: Build = () =>
  tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: VOCAB, outputDim: 5, inputLength: TIME, embeddingsInitializer: init(1) }),
      tf.layers.lstm({ units: 4, kernelInitializer: init(2), recurrentInitializer: init(3) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });

/** Embedding (mask_zero) → GRU (sequences) → SimpleRNN → Dense softmax. */
const gruStack: Build = () =>
  tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: VOCAB, outputDim: 5, inputLength: TIME, maskZero: true, embeddingsInitializer: init(5) }),
      tf.layers.gru({ units: 4, returnSequences: true, kernelInitializer: init(6), recurrentInitializer: init(7) }),
      tf.layers.simpleRNN({ units: 3, kernelInitializer: init(8), recurrentInitializer: init(9) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(10) }),
    ],
  });

/** A one-block pre-LN GPT of standard layers: Embeddings, LayerNorm, two heads of Dense q/k/v, Dot, Softmax, GELU MLP. */
const tinyGpt: Build = () => {
  const tokens = tf.input({ shape: [TIME], dtype: 'int32' });
  const positions = tf.input({ shape: [TIME], dtype: 'int32' });
  const mask = tf.input({ shape: [TIME, TIME] });
  const call = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  let seed = 20;
  const dense = (units: number, activation: 'linear' | 'gelu' = 'linear') =>
    tf.layers.dense({ units, activation, kernelInitializer: init(seed++), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed++ }) });
  const embedded = call(tf.layers.add(), [
    call(tf.layers.embedding({ inputDim: VOCAB, outputDim: 8, embeddingsInitializer: init(seed++) }), tokens),
    call(tf.layers.embedding({ inputDim: TIME, outputDim: 8, embeddingsInitializer: init(seed++) }), positions),
  ]);
  const normed = call(tf.layers.layerNormalization({ epsilon: 1e-5 }), embedded);
  const heads = [0, 1].map(() => {
    const scores = call(tf.layers.dot({ axes: [2, 2] }), [call(dense(4), normed), call(dense(4), normed)]);
    const weights = call(tf.layers.softmax({ axis: -1 }), call(tf.layers.add(), [call(tf.layers.rescaling({ scale: 0.5 }), scores), mask]));
    return call(tf.layers.dot({ axes: [2, 1] }), [weights, call(dense(4), normed)]);
  });
  const stream = call(tf.layers.add(), [embedded, call(dense(8), call(tf.layers.concatenate({ axis: -1 }), heads))]);
  const mlp = call(dense(8), call(dense(16, 'gelu'), call(tf.layers.layerNormalization({ epsilon: 1e-5 }), stream)));
  const out = call(tf.layers.dense({ units: VOCAB, activation: 'softmax', kernelInitializer: init(seed++) }), call(tf.layers.add(), [stream, mlp]));
  return tf.model({ inputs: [tokens, positions, mask], outputs: out });
};

/** Embedding → Bidirectional LSTM (sequences) → TimeDistributed Dense → GlobalMaxPooling1D → Dense softmax. */
const bidirectional: Build = () =>
  tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: VOCAB, outputDim: 4, inputLength: TIME, embeddingsInitializer: init(50) }),
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 3, returnSequences: true, kernelInitializer: init(51), recurrentInitializer: init(52) }),
        mergeMode: 'concat',
      }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: init(53) }) }),
      tf.layers.globalMaxPooling1d(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(54) }),
    ],
  });

/** Conv1D (same, relu) → GlobalAveragePooling1D → Dense softmax, over float sequences. */
const conv1dNet: Build = () =>
  tf.sequential({
    layers: [
      tf.layers.conv1d({ inputShape: [TIME, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(40) }),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(41) }),
    ],
  });

function data(kind: string): { xs: tf.Tensor[]; y: tf.Tensor } {
  return tf.tidy(() => {
    const ids = tf.randomUniform([4, TIME], 0, VOCAB, 'int32', 3);
    if (kind === 'gpt') {
      const positions = tf.tile(tf.range(0, TIME, 1, 'int32').expandDims(0), [4, 1]);
      const mask = tf.tile(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([TIME, TIME]), -1, 0)), -1e9).expandDims(0), [4, 1, 1]);
      return { xs: [ids, positions, mask], y: tf.oneHot(tf.randomUniform([4, TIME], 0, VOCAB, 'int32', 4), VOCAB) };
    }
    const x = kind === 'conv1d' ? tf.randomUniform([4, TIME, 3], -1, 1, 'float32', 5) : ids;
    return { xs: [x], y: tf.oneHot(tf.randomUniform([4], 0, 3, 'int32', 6), 3) };
  });
}

async function trainLosses(backend: 'wasm' | 'cpu', build: Build, kind: string, steps: number): Promise<{ losses: number[]; weights: Float32Array }> {
  await prepareBackend(backend);
  const model = build();
  // Plain SGD: Adam turns the rounding noise of gradients that are zero in exact arithmetic (an attention key's
  // bias: softmax ignores it) into steps of ±lr, so weights would differ by the learning rate, not by rounding.
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
  const { xs, y } = data(kind);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) losses.push((await model.trainOnBatch(xs.length === 1 ? xs[0]! : xs, y)) as number);
  const weights = Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
  tf.dispose([...xs, y]);
  model.dispose();
  return { losses, weights };
}

describe('training sequence models on wasm', () => {
  beforeAll(async () => {
    await prepareBackend('wasm');
  });

  it.each([
    ['Embedding → LSTM', lstmClassifier, 'ids'],
    ['Embedding (mask_zero) → GRU → SimpleRNN', gruStack, 'ids'],
    ['a GPT block (LayerNorm, Dot, Softmax, GELU, Embeddings)', tinyGpt, 'gpt'],
    ['Conv1D', conv1dNet, 'conv1d'],
    ['Embedding → Bidirectional LSTM → TimeDistributed Dense', bidirectional, 'ids'],
  ] as const)('%s follows the same loss curve as cpu', async (_name, build, kind) => {
    const wasm = await trainLosses('wasm', build, kind, 6);
    const cpu = await trainLosses('cpu', build, kind, 6);
    expect(wasm.losses[5]).toBeLessThan(wasm.losses[0]!);
    for (let i = 0; i < cpu.losses.length; i++) {
      expect(Math.abs(wasm.losses[i]! - cpu.losses[i]!) / cpu.losses[i]!, `step ${i}`).toBeLessThan(1e-4);
    }
    let worst = 0;
    for (let i = 0; i < cpu.weights.length; i++) worst = Math.max(worst, Math.abs(wasm.weights[i]! - cpu.weights[i]!));
    expect(worst, 'max |wasm - cpu| over trained weights').toBeLessThan(1e-4);
  });
});
