import * as tf from '@tensorflow/tfjs';
import * as engine from '@graft/engine';
import { GraftError } from '@graft/core';

/** Restricts the backends of every conformance run, e.g. `GRAFT_CONFORMANCE_BACKENDS=cpu` for a quick local run. */
export const BACKENDS_ENV_VAR = 'GRAFT_CONFORMANCE_BACKENDS';

// @graft/engine owns backend discovery; reached through its namespace so this package also builds against an
// engine that does not export these (yet), falling back to the always-present cpu backend.
const engineApi = engine as unknown as Record<string, unknown>;

/** Backends this process can run: those `@graft/engine` finds (`tensorflow`, `wasm`, `cpu`), else `cpu`. */
export async function availableBackends(): Promise<string[]> {
  const find = engineApi['availableBackends'];
  if (typeof find !== 'function') return ['cpu'];
  const found = (await (find as () => Promise<unknown>)()) as unknown[];
  return found.map((b) => (typeof b === 'string' ? b : String((b as { name?: unknown; backend?: unknown }).backend ?? (b as { name?: unknown }).name)));
}

/**
 * The backends a run uses: the available ones, narrowed to `requested` and to {@link BACKENDS_ENV_VAR}.
 * @throws GraftError `BACKEND_UNAVAILABLE` when a requested backend is not available.
 */
export async function selectBackends(requested?: readonly string[]): Promise<string[]> {
  const available = await availableBackends();
  const fromEnv = process.env[BACKENDS_ENV_VAR]?.split(',').map((b) => b.trim()).filter((b) => b !== '');
  let chosen = available;
  for (const wanted of [requested, fromEnv]) {
    if (wanted === undefined) continue;
    const missing = wanted.filter((b) => !available.includes(b));
    if (missing.length > 0 && wanted === requested) {
      throw new GraftError('BACKEND_UNAVAILABLE', `Backend ${missing.join(', ')} is not available here; available: ${available.join(', ')}.`);
    }
    chosen = chosen.filter((b) => wanted.includes(b));
  }
  return chosen;
}

/**
 * Makes `backend` current, with graft's WASM training kernels where the engine provides them.
 * @throws GraftError `BACKEND_UNAVAILABLE` when it cannot be started.
 */
export async function useBackend(backend: string): Promise<void> {
  const use = engineApi['useBackend'];
  if (typeof use === 'function') {
    await (use as (name: string) => Promise<unknown>)(backend);
  } else {
    const enable = engineApi['enableWasmTraining'];
    if (backend === 'wasm' && typeof enable === 'function') (enable as () => void)();
    if (!(await tf.setBackend(backend))) throw new GraftError('BACKEND_UNAVAILABLE', `The ${backend} backend failed to start.`);
  }
  if (tf.getBackend() !== backend) throw new GraftError('BACKEND_UNAVAILABLE', `Asked for the ${backend} backend; running on ${tf.getBackend()}.`);
}
