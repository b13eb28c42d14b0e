import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backend-names.js';
import { BACKEND_CANDIDATES, defaultModuleLoader, type ModuleLoader } from './candidates.js';
import { silenceTfjsBanner } from './silence-banner.js';

/**
 * The backends that can be initialised here, fastest first and without duplicates (e.g. `['wasm', 'cpu']`).
 * Each is started once to be sure; afterwards the backend that was current before is restored. Test suites use
 * it to run the same tests on every backend.
 */
export async function availableBackends(options: { readonly loader?: ModuleLoader } = {}): Promise<BackendName[]> {
  silenceTfjsBanner();
  const previous = (tf.engine() as unknown as { backendName?: string | null }).backendName ?? null;
  const found: BackendName[] = [];
  for (const candidate of BACKEND_CANDIDATES) {
    if (found.includes(candidate.backend)) continue;
    if ((await candidate.start(options.loader ?? defaultModuleLoader)) === undefined) found.push(candidate.backend);
  }
  if (previous !== null && previous !== tf.getBackend()) await tf.setBackend(previous);
  return found;
}
