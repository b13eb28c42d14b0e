import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInput } from './conv2d-backprop-input.js';
import { makeConv2DGradConfig } from './conv2d-grad.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-backprop-input.js';
import { makeDepthwiseConv2dGradConfig } from './depthwise-conv2d-grad.js';
import { fixWasmConvPadding } from './forward-padding.js';
import { makeCollapsedSum } from './collapsed-sum.js';
import { makeFastBatchMatMul } from './fast-batch-mat-mul.js';
import { makeFastTranspose } from './fast-transpose.js';
import { overrideWasmKernel } from './override-kernel.js';
import { makeSharedCast, makeSharedIdentity } from './shared-identity.js';

/** The kernels the wasm backend lacks for training conv nets, one per file. */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
];

const gradientOverrides: ReadonlyArray<[string, (original: GradConfig) => GradConfig]> = [
  [tf.Conv2D, makeConv2DGradConfig],
  [tf.DepthwiseConv2dNative, makeDepthwiseConv2dGradConfig],
];

const replacedGradients = new Set<string>();

/**
 * Makes conv nets trainable on the `wasm` backend. It loads `@tensorflow/tfjs-backend-wasm`, then registers
 * `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput` for
 * `wasm` (NHWC; every padding, stride, dilation and rounding mode the forward kernels accept), lets the Conv2D
 * and depthwise gradients take dilations on `wasm`, and routes `pad: 'same'` of the forward conv kernels through
 * explicit padding (tfjs-backend-wasm 4.22 gets some strided 'same' convolutions wrong). Other backends are
 * untouched. Idempotent; `useBestBackend` calls it when it picks `wasm`.
 *
 * @throws Error when `@tensorflow/tfjs-backend-wasm` cannot be imported.
 */
export async function enableWasmTraining(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  fixWasmConvPadding();
  // Speed: the backward pass of Dense/Conv layers multiplies transposed operands and sums over leading axes,
  // both slow paths in tfjs-backend-wasm 4.22.
  overrideWasmKernel(tf.BatchMatMul, makeFastBatchMatMul);
  overrideWasmKernel(tf.Sum, makeCollapsedSum);
  overrideWasmKernel(tf.Transpose, makeFastTranspose);
  overrideWasmKernel(tf.Identity, makeSharedIdentity);
  overrideWasmKernel(tf.Cast, makeSharedCast);
  // tfjs-backend-wasm's Conv2DBackpropInput is a naive loop; graft's runs the forward conv on the flipped filter.
  overrideWasmKernel(tf.Conv2DBackpropInput, makeConv2DBackpropInput);
  for (const config of wasmTrainingKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  for (const [kernelName, makeConfig] of gradientOverrides) {
    const original = tf.getGradient(kernelName);
    if (original === undefined || replacedGradients.has(kernelName)) continue;
    tf.registerGradient(makeConfig(original));
    replacedGradients.add(kernelName);
  }
}
