import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RELAXED_SIMD_KERNELS_BASE64, SIMD_KERNELS_BASE64 } from './kernels-wasm.js';

/** graft's WebAssembly SIMD kernels (kernels.wat), running on the wasm backend's own memory. */
export interface SimdKernels {
  /** Whether `matmul` multiplies and adds in one fused step (the relaxed-SIMD assembly). */
  readonly fused: boolean;
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
  /** `out = dy · step(x)` for `n` float32 elements (relu's gradient, NaN where `x` is NaN, as tfjs). */
  readonly reluGrad: (dy: number, x: number, out: number, n: number) => void;
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

/**
 * Which assembly of kernels.wat runs: `relaxed` has fused multiply-adds (relaxed SIMD; ~1.3× on the conv gate's
 * convolutions where the CPU has FMA), `plain` is baseline SIMD only. `auto` takes the first this runtime validates.
 */
export type SimdFlavor = 'relaxed' | 'plain';

let preferred: SimdFlavor | 'auto' | 'none' = 'auto';
let compiled: { readonly module: object; readonly flavor: SimdFlavor } | null | undefined;
let instances = new WeakMap<object, SimdKernels | null>();

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function compile(): { readonly module: object; readonly flavor: SimdFlavor } | null {
  if (compiled !== undefined) return compiled;
  if (wasmApi === undefined) return (compiled = null);
  const candidates: [SimdFlavor, string][] = [['relaxed', RELAXED_SIMD_KERNELS_BASE64], ['plain', SIMD_KERNELS_BASE64]];
  compiled = null;
  for (const [flavor, base64] of candidates) {
    if (preferred !== 'auto' && preferred !== flavor) continue;
    const bytes = bytesOf(base64);
    // Runtimes without (relaxed) WebAssembly SIMD reject a module; without either, callers keep tfjs' kernels.
    if (wasmApi.validate(bytes)) return (compiled = { module: new wasmApi.Module(bytes), flavor });
  }
  return compiled;
}

/**
 * Picks the assembly the kernels run from now on (`auto`: relaxed where valid, else plain; `none`: no SIMD kernels,
 * so every caller takes its fallback); tests run each. Returns the flavor now in use, `undefined` when there is none
 * (asked for, or the runtime validates neither or not the one asked for).
 */
export function useSimdFlavor(flavor: SimdFlavor | 'auto' | 'none'): SimdFlavor | undefined {
  preferred = flavor;
  compiled = undefined;
  instances = new WeakMap();
  return compile()?.flavor;
}

/**
 * Turns on relaxed SIMD in Node 20–22, where V8 has it behind `--experimental-wasm-relaxed-simd` (Chrome ≥ 114 and
 * newer V8s have it on): V8 flags are process-wide, so worker threads get it too. Only when the relaxed module does not
 * validate yet; elsewhere (browsers, no `node:v8`) a no-op, and the plain module runs.
 */
export async function enableRelaxedSimd(): Promise<void> {
  if (wasmApi === undefined || wasmApi.validate(bytesOf(RELAXED_SIMD_KERNELS_BASE64))) return;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node === undefined) return;
  try {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return; // No node:v8 (a bundled build): the plain module runs.
  }
  // Kernels compiled or instantiated before the flag was set are the plain ones; the next use takes the relaxed.
  compiled = undefined;
  instances = new WeakMap();
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
  const assembly = compile();
  if (assembly === null) return undefined;
  let exports: SimdKernels;
  try {
    exports = new wasmApi.Instance(assembly.module, { env: { memory } }).exports as SimdKernels;
  } catch {
    // A shared memory (tfjs' threaded build, in cross-origin isolated pages) does not link to this module's
    // unshared import; tfjs' own kernels run there.
    instances.set(memory, null);
    return undefined;
  }
  const kernels: SimdKernels = { fused: assembly.flavor === 'relaxed', matmul: exports.matmul, sumRows: exports.sumRows, reluGrad: exports.reluGrad, adam: exports.adam };
  instances.set(memory, kernels);
  return kernels;
}

/** The heap byte address of a tensor's data on the wasm backend. */
export function heapAddress(backend: BackendWasm, info: TensorInfo): number {
  const data = (backend.dataIdMap as unknown as { get(id: object): { memoryOffset: number } | undefined }).get(info.dataId);
  if (data === undefined) throw new Error('heapAddress: the tensor has no data on the wasm backend.');
  return data.memoryOffset;
}
