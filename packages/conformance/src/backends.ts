import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { availableBackends as engineBackends, parseBackendName, prepareBackend } from '@graft/engine';

/** Restricts the backends of every conformance run, e.g. `GRAFT_CONFORMANCE_BACKENDS=cpu` for a quick local run. */
export const BACKENDS_ENV_VAR = 'GRAFT_CONFORMANCE_BACKENDS';

/** Backends this process can run, fastest first, as `@graft/engine` finds them: `tensorflow`, `wasm`, `cpu`. */
export async function availableBackends(): Promise<string[]> {
  return [...(await engineBackends())];
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
 * Makes `backend` current, started the way the engine always starts it (`prepareBackend`: wasm with graft's
 * training kernels registered before the first tensor).
 * @throws GraftError `BACKEND_UNAVAILABLE` when it cannot be started; `INVALID_ARGUMENT` for an unknown name.
 */
export async function useBackend(backend: string): Promise<void> {
  await prepareBackend(parseBackendName(backend, 'The conformance backend'));
  if (tf.getBackend() !== backend) throw new GraftError('BACKEND_UNAVAILABLE', `Asked for the ${backend} backend; running on ${tf.getBackend()}.`);
}
