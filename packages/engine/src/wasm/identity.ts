import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { required, wasmKernel } from './override.js';
import { shareData } from './share-data.js';

/**
 * tfjs-backend-wasm 4.22 copies the data for `Identity`, which tfjs runs to save every tensor a gradient needs.
 * Tensors are immutable, so — like the cpu backend — this shares the data and counts a reference instead.
 */
function sharedIdentity(original: KernelConfig): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? original.kernelFunc(args) : shareData(args.backend as BackendWasm, x);
  };
}

export const identityOverride = wasmKernel(Identity, (original) => sharedIdentity(required(original, Identity)));
