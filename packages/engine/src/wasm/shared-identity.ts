import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * tfjs-backend-wasm 4.22 copies the data for `Identity` (which tfjs runs to save every tensor a gradient needs)
 * and for `Cast` to the same dtype. Tensors are immutable, so — like the cpu backend — these wrappers share the
 * data and count a reference instead.
 */
function shareData(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function makeSharedIdentity(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? original.kernelFunc(args) : shareData(args.backend as BackendWasm, x);
  };
  return { kernelName: original.kernelName, backendName: 'wasm', kernelFunc };
}

export function makeSharedCast(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype !== 'string' && args.attrs?.['dtype'] === x.dtype ? shareData(args.backend as BackendWasm, x) : original.kernelFunc(args);
  };
  return { kernelName: original.kernelName, backendName: 'wasm', kernelFunc };
}
