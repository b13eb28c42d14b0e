import type { BackendResolution } from './use-best-backend.js';

/**
 * The one line every training command prints about its backend, e.g.
 * `backend: wasm (@tensorflow/tfjs-backend-wasm) — fastest available (@tensorflow/tfjs-node-gpu is not installed; …)`.
 */
export function describeBackend(resolution: BackendResolution): string {
  return `backend: ${resolution.name} (${resolution.package}) — ${resolution.why}`;
}
