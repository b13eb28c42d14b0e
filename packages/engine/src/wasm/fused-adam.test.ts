import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableWasmTraining } from './enable-wasm-training.js';
import { ADAM_STEP, adamUpdate } from './fused-adam.js';

/** Runs `steps` Adam updates of fixed gradients on two variables; returns their values and the moments. */
async function adamRun(backend: string, steps: number, options: { lr: number; beta1?: number; beta2?: number; epsilon?: number }): Promise<number[][]> {
  await tf.setBackend(backend);
  const a = tf.variable(tf.tensor2d([[0.5, -1.25, 3], [2, 0, -0.75]]), true, `fused_adam_a_${backend}_${options.lr}`);
  const b = tf.variable(tf.tensor1d([0.1, -0.2, 0.3, 1e-8]), true, `fused_adam_b_${backend}_${options.lr}`);
  const optimizer = tf.train.adam(options.lr, options.beta1, options.beta2, options.epsilon);
  for (let step = 0; step < steps; step++) {
    tf.tidy(() => {
      const s = Math.sin(step + 1);
      optimizer.applyGradients([
        { name: a.name, tensor: tf.tensor2d([[s, -2 * s, 1e-3], [0, 7.5 * s, -s * s]]) },
        { name: b.name, tensor: tf.tensor1d([1e-6 * s, -s, 3, s / 3]) },
      ]);
    });
  }
  const weights = await optimizer.getWeights();
  const out = [Array.from(a.dataSync()), Array.from(b.dataSync()), ...weights.map((w) => Array.from(w.tensor.dataSync()))];
  optimizer.dispose();
  a.dispose();
  b.dispose();
  return out;
}

describe("Adam's update in one kernel per variable on wasm", () => {
  beforeAll(async () => {
    await enableWasmTraining();
  });

  it.each([
    [{ lr: 1e-3 }],
    [{ lr: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 }],
  ])('gives bit for bit the weights and moments of tfjs own Adam (as cpu runs it), %j', async (options) => {
    const wasm = await adamRun('wasm', 7, options);
    const cpu = await adamRun('cpu', 7, options);
    expect(wasm).toEqual(cpu);
  });

  it("computes in JavaScript (no SIMD) what the SIMD kernel computes, bit for bit", async () => {
    await tf.setBackend('wasm');
    const n = 37;
    const make = (k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + k) * (i % 5 === 0 ? 1e-7 : 2));
    const [x, g, m] = [make(1), make(2), make(3)];
    const v = make(4).map(Math.abs);
    const attrs = { beta1: 0.9, oneMinusBeta1: 1 - 0.9, beta2: 0.999, oneMinusBeta2: 1 - 0.999, oneMinusAccBeta1: Math.fround(1 - 0.729), oneMinusAccBeta2: Math.fround(1 - 0.997), epsilon: 1e-7, negLearningRate: -0.01 };
    const simd = tf.tidy(() =>
      tf.engine().runKernel<tf.Tensor[]>(ADAM_STEP, { x: tf.tensor(x), g: tf.tensor(g), m: tf.tensor(m), v: tf.tensor(v) }, attrs as unknown as tf.NamedAttrMap).map((t) => Array.from(t.dataSync())),
    );
    const [nx, nm, nv] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    adamUpdate(x, g, m, v, nx, nm, nv, Object.values(attrs).map(Math.fround) as [number, number, number, number, number, number, number, number]);
    expect(simd).toEqual([Array.from(nx), Array.from(nm), Array.from(nv)]);
  });

  it('issues one kernel per variable instead of fourteen', async () => {
    await tf.setBackend('wasm');
    const x = tf.variable(tf.ones([3]), true, 'fused_adam_count');
    const optimizer = tf.train.adam(0.01);
    const profile = await tf.profile(() => optimizer.applyGradients([{ name: x.name, tensor: tf.ones([3]) }]));
    expect(profile.kernels.filter((k) => k.name === 'GraftAdamStep')).toHaveLength(1);
    expect(profile.kernels.length).toBeLessThan(6);
    optimizer.dispose();
    x.dispose();
  });
});
