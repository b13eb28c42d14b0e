import { Cast, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { required, wasmKernel } from './override.js';
import { shareData } from './share-data.js';

/** tfjs-backend-wasm 4.22 copies the data for a `Cast` to the same dtype; this shares it, as the cpu backend does. */
function sharedCast(original: KernelConfig): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype !== 'string' && args.attrs?.['dtype'] === x.dtype ? shareData(args.backend as BackendWasm, x) : original.kernelFunc(args);
  };
}

export const castOverride = wasmKernel(Cast, (original) => sharedCast(required(original, Cast)));
