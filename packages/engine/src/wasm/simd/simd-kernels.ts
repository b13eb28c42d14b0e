import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_KERNELS_BASE64 } from './kernels-wasm.js';

/** graft's WebAssembly SIMD kernels (kernels.wat), running on the wasm backend's own memory. */
export interface SimdKernels {
  /**
   * `C[t] = A[t] · B[t]` for `t < batch` (float32, byte addresses and strides): A[t] is m×k read with strides `aRow`
   * and `aCol`, B[t] k×n and C[t] m×n row-major; `aBatch`/`bBatch` 0 broadcast one matrix. `n % 4` must be 0.
   */
  readonly matmul: (
    a: number, b: number, c: number,
    batch: number, m: number, k: number, n: number,
    aBatch: number, bBatch: number, aRow: number, aCol: number,
  ) => void;
}

/** The slice of the WebAssembly JS API used here (TypeScript's ES libs do not declare it without the DOM lib). */
interface WasmApi {
  readonly validate: (bytes: Uint8Array) => boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  readonly Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
const instances = new WeakMap<object, SimdKernels>();

function compile(): object | null {
  if (compiled !== undefined) return compiled;
  if (wasmApi === undefined) return (compiled = null);
  const text = atob(SIMD_KERNELS_BASE64);
  const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));
  // Runtimes without WebAssembly SIMD reject the module; callers then keep tfjs-backend-wasm's kernels.
  compiled = wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  return compiled;
}

/**
 * The SIMD kernels instantiated on `backend`'s memory (once per memory), or `undefined` where this runtime has no
 * WebAssembly SIMD or the backend exposes no memory; then the caller falls back to tfjs-backend-wasm's kernel.
 */
export function simdKernels(backend: BackendWasm): SimdKernels | undefined {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (wasmApi === undefined || !(memory instanceof wasmApi.Memory)) return undefined;
  const known = instances.get(memory);
  if (known !== undefined) return known;
  const module = compile();
  if (module === null) return undefined;
  const exports = new wasmApi.Instance(module, { env: { memory } }).exports as SimdKernels;
  const kernels: SimdKernels = { matmul: exports.matmul };
  instances.set(memory, kernels);
  return kernels;
}

/** The heap byte address of a tensor's data on the wasm backend. */
export function heapAddress(backend: BackendWasm, info: TensorInfo): number {
  const data = (backend.dataIdMap as unknown as { get(id: object): { memoryOffset: number } | undefined }).get(info.dataId);
  if (data === undefined) throw new Error('heapAddress: the tensor has no data on the wasm backend.');
  return data.memoryOffset;
}
