import { applyOverride } from './override.js';
import { WASM_OVERRIDES } from './overrides.js';
import { enableRelaxedSimd } from './simd/simd-kernels.js';

/**
 * Makes conv and sequence models trainable (and faster) on the `wasm` backend: loads
 * `@tensorflow/tfjs-backend-wasm`, then applies every entry of graft's override list — the training kernels wasm
 * lacks, forward-conv padding fixes, faster equivalents of slow kernels and gradients that take dilations on wasm.
 * In Node 20–22 it also turns on V8's relaxed SIMD (process-wide) so graft's SIMD kernel uses fused multiply-adds.
 * Other backends compute as before. Idempotent; `prepareBackend('wasm')` and `useBestBackend` call it (await it).
 *
 * @throws Error when `@tensorflow/tfjs-backend-wasm` cannot be imported.
 */
export async function enableWasmTraining(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  await enableRelaxedSimd();
  for (const override of WASM_OVERRIDES) applyOverride(override);
}
