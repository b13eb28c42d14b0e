import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, NamedTensorMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { WasmOverride } from './override.js';
import { wasmKernel } from './override.js';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

/** graft's one-kernel Adam update on wasm: inputs x, g, m, v; outputs the new x, m and v. */
export const ADAM_STEP = 'GraftAdamStep';

const f = Math.fround;

/**
 * One variable's Adam update in one pass over its elements, each operation rounded to float32 in the order
 * tfjs' AdamOptimizer applies its kernels, so the results are bit for bit those of tfjs' 14 kernels per variable:
 * on graft's SIMD kernel (IEEE float32 `+ × ÷ √`), or in JavaScript where there is no SIMD (`Math.fround` after
 * each double operation gives the same float32 results).
 */
const adamStep: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const { x, g, m, v } = inputs as { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  const wasm = backend as BackendWasm;
  const [b1, c1, b2, c2, d1, d2, eps, step] = (['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'oneMinusAccBeta1', 'oneMinusAccBeta2', 'epsilon', 'negLearningRate'] as const).map(
    (name) => f(Number(attrs[name])),
  ) as [number, number, number, number, number, number, number, number];
  const outX = wasm.makeOutput(x.shape, 'float32');
  const outM = wasm.makeOutput(x.shape, 'float32');
  const outV = wasm.makeOutput(x.shape, 'float32');
  const simd = simdKernels(wasm);
  if (simd !== undefined) {
    const at = (info: TensorInfo): number => heapAddress(wasm, info);
    simd.adam(at(x), at(g), at(m), at(v), at(outX), at(outM), at(outV), x.shape.reduce((p, q) => p * q, 1), b1, c1, b2, c2, d1, d2, eps, step);
    return [outX, outM, outV];
  }
  // Views after allocating: allocation may grow (and move) the heap.
  const view = (info: TensorInfo): Float32Array => wasm.typedArrayFromHeap(info) as Float32Array;
  adamUpdate(view(x), view(g), view(m), view(v), view(outX), view(outM), view(outV), [b1, c1, b2, c2, d1, d2, eps, step]);
  return [outX, outM, outV];
};

/**
 * The Adam update in JavaScript (where WebAssembly SIMD is missing): `Math.fround` after each double operation gives
 * the float32 result of that operation, so this equals the SIMD kernel bit for bit.
 */
export function adamUpdate(
  xs: Float32Array, gs: Float32Array, ms: Float32Array, vs: Float32Array, nx: Float32Array, nm: Float32Array, nv: Float32Array,
  [b1, c1, b2, c2, d1, d2, eps, step]: readonly [number, number, number, number, number, number, number, number],
): void {
  for (let i = 0; i < xs.length; i++) {
    const gi = gs[i]!;
    const mi = f(f(ms[i]! * b1) + f(gi * c1));
    const vi = f(f(vs[i]! * b2) + f(f(gi * gi) * c2));
    nm[i] = mi;
    nv[i] = vi;
    const corrected = f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps));
    nx[i] = f(f(corrected * step) + xs[i]!);
  }
}

export const adamStepKernel = wasmKernel(ADAM_STEP, () => adamStep);

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

type ApplyGradients = (this: tf.AdamOptimizer, variableGradients: NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>) => void;

/**
 * `AdamOptimizer.applyGradients` in one kernel per variable on wasm ({@link ADAM_STEP}) instead of 14: a small
 * model's step spends most of its time on per-kernel overhead, and Adam issues ~40% of a tiny GPT's kernels. Same
 * state (moments, accumulated betas, iterations) in the same fields, so saving and restoring optimizers is
 * unchanged; other backends, and any variable that is not float32, run tfjs' own code.
 */
function fusedApplyGradients(original: ApplyGradients): ApplyGradients {
  return function (this: tf.AdamOptimizer, variableGradients) {
    const self = this as unknown as AdamInternals;
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients).map(([name, tensor]) => [name, tensor] as const);
    const variables = tf.engine().registeredVariables;
    if (tf.getBackend() !== 'wasm' || entries.some(([name, g]) => g !== undefined && (g.dtype !== 'float32' || variables[name]?.dtype !== 'float32'))) {
      original.call(this, variableGradients);
      return;
    }
    tf.tidy(() => {
      const accBeta1 = self.accBeta1.dataSync()[0] ?? 0;
      const accBeta2 = self.accBeta2.dataSync()[0] ?? 0;
      const attrs = {
        beta1: self.beta1,
        oneMinusBeta1: 1 - self.beta1,
        beta2: self.beta2,
        oneMinusBeta2: 1 - self.beta2,
        oneMinusAccBeta1: f(1 - accBeta1),
        oneMinusAccBeta2: f(1 - accBeta2),
        epsilon: self.epsilon,
        negLearningRate: -self.learningRate,
      } as unknown as NamedAttrMap;
      entries.forEach(([name, gradient], i) => {
        const value = variables[name] as tf.Variable;
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const [newX, newM, newV] = tf.engine().runKernel<tf.Tensor[]>(ADAM_STEP, { x: value, g: gradient, m, v }, attrs);
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newX!);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  };
}

export const fusedAdamOverride: WasmOverride = {
  kind: 'method',
  kernelName: 'AdamOptimizer.applyGradients',
  install: () => {
    const prototype = tf.AdamOptimizer.prototype as unknown as { applyGradients: ApplyGradients };
    prototype.applyGradients = fusedApplyGradients(prototype.applyGradients);
  },
};
