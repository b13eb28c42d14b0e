import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { gradient, required, wasmKernel } from './override.js';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

/** graft's one-kernel relu gradient on wasm: inputs dy and x, output `dy · step(x)`. */
export const RELU_GRAD = 'GraftReluGrad';

/** `dy · step(x)` in one pass on the SIMD kernel, or in JavaScript where there is no SIMD (same values). */
const reluGradKernel: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(x.shape, 'float32');
  const size = x.shape.reduce((p, q) => p * q, 1);
  const simd = simdKernels(wasm);
  if (simd !== undefined) {
    simd.reluGrad(heapAddress(wasm, dy), heapAddress(wasm, x), heapAddress(wasm, out), size);
    return out;
  }
  // Views after allocating: allocation may grow (and move) the heap.
  const [dys, xs, outs] = [dy, x, out].map((info) => wasm.typedArrayFromHeap(info) as Float32Array) as [Float32Array, Float32Array, Float32Array];
  for (let i = 0; i < size; i++) {
    const xi = xs[i]!;
    outs[i] = dys[i]! * (Number.isNaN(xi) ? xi : xi > 0 ? 1 : 0);
  }
  return out;
};

/**
 * Relu's gradient on wasm as one kernel instead of tfjs' three (Step, Cast, Multiply): each relu in a conv net's
 * backward pass reads and writes its [32, 26, 26, 32] activations once instead of three times. Same values (NaN and
 * ±0 included); other backends, and other dtypes, run tfjs' own.
 */
function reluGrad(original: GradConfig): GradConfig {
  return {
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      const [x] = saved as [Tensor];
      const grad = (Array.isArray(dy) ? dy[0] : dy) as Tensor;
      if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || grad.dtype !== 'float32') return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel<Tensor>(RELU_GRAD, { dy: grad, x }) };
    },
  };
}

export const reluGradKernelOverride = wasmKernel(RELU_GRAD, () => reluGradKernel);
export const reluGradOverride = gradient(tf.Relu, (original) => reluGrad(required(original, tf.Relu, 'gradient')));
