import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_KERNELS_BASE64 } from './kernels-wasm.js';

/** graft's WebAssembly SIMD kernels (kernels.wat), running on the wasm backend's own memory. */
export interface SimdKernels {
  /**
   * `C[t] = A[t] · B[t]` for `t < batch` (float32, byte addresses and strides): A[t] is m×k read with strides `aRow`
   * and `aCol`, B[t] k×n and C[t] m×n row-major; `aBatch`/`bBatch` 0 broadcast one matrix, `cBatch` 0 sums every
   * batch into one C; `accumulate` 1 adds to C's values. `n % 4` must be 0.
   */
  readonly matmul: (
    a: number, b: number, c: number,
    batch: number, m: number, k: number, n: number,
    aBatch: number, bBatch: number, aRow: number, aCol: number, cBatch: number, accumulate: number,
  ) => void;
  /** `out[j] = Σ_i x[i, j]` for a rows×cols float32 matrix at byte address `x`; `cols % 4` must be 0. */
  readonly sumRows: (x: number, out: number, rows: number, cols: number) => void;
  /**
   * One Adam update of `n` float32 elements (byte addresses of x, g, m, v and the three outputs), in tfjs'
   * AdamOptimizer's order of float32 operations; scalars as `beta1, 1 − beta1, beta2, 1 − beta2, 1 − beta1^t,
   * 1 − beta2^t, epsilon, −learningRate`.
   */
  readonly adam: (
    x: number, g: number, m: number, v: number, outX: number, outM: number, outV: number, n: number,
    b1: number, c1: number, b2: number, c2: number, d1: number, d2: number, eps: number, step: number,
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
const instances = new WeakMap<object, SimdKernels | null>();

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
  if (known !== undefined) return known ?? undefined;
  const module = compile();
  if (module === null) return undefined;
  let exports: SimdKernels;
  try {
    exports = new wasmApi.Instance(module, { env: { memory } }).exports as SimdKernels;
  } catch {
    // A shared memory (tfjs' threaded build, in cross-origin isolated pages) does not link to this module's
    // unshared import; tfjs' own kernels run there.
    instances.set(memory, null);
    return undefined;
  }
  const kernels: SimdKernels = { matmul: exports.matmul, sumRows: exports.sumRows, adam: exports.adam };
  instances.set(memory, kernels);
  return kernels;
}

/** The heap byte address of a tensor's data on the wasm backend. */
export function heapAddress(backend: BackendWasm, info: TensorInfo): number {
  const data = (backend.dataIdMap as unknown as { get(id: object): { memoryOffset: number } | undefined }).get(info.dataId);
  if (data === undefined) throw new Error('heapAddress: the tensor has no data on the wasm backend.');
  return data.memoryOffset;
}
