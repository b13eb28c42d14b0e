import { GraftError } from '@graft/core';
import { BACKEND_ENV_VAR, parseBackendName, type BackendName } from './backend-names.js';
import { BACKEND_CANDIDATES, INSTALL_HINTS, defaultModuleLoader, type ModuleLoader } from './candidates.js';
import { prepareBackend, startFirst, type BackendAttempt } from './prepare-backend.js';

export type { BackendAttempt } from './prepare-backend.js';

/** Which backend graft runs on, and why. */
export interface BackendResolution {
  /** The backend now set in tfjs. */
  readonly name: BackendName;
  /** The npm package providing it. */
  readonly package: string;
  /** Who forced the choice, or `null` when graft picked the fastest available backend. */
  readonly forcedBy: 'argument' | typeof BACKEND_ENV_VAR | null;
  /** Every candidate tried, in order, ending with the one in use. */
  readonly tried: readonly BackendAttempt[];
  /** One sentence on why this backend: forced, or which faster ones were unavailable. */
  readonly why: string;
}

/** Options for tests and embedders; most callers pass none. */
export interface UseBestBackendOptions {
  /** Environment to read `GRAFT_BACKEND` from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How backend packages are found and imported (default: Node resolution and `import()`); for tests. */
  readonly loader?: ModuleLoader;
}

function forcedChoice(
  preference: BackendName | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { backend: BackendName; by: BackendResolution['forcedBy'] } | undefined {
  if (preference !== undefined) return { backend: parseBackendName(preference, 'The backend preference'), by: 'argument' };
  const fromEnv = env[BACKEND_ENV_VAR];
  if (fromEnv === undefined || fromEnv.trim() === '') return undefined;
  return { backend: parseBackendName(fromEnv, BACKEND_ENV_VAR), by: BACKEND_ENV_VAR };
}

function explainChoice(name: BackendName, forced: ReturnType<typeof forcedChoice>, tried: BackendAttempt[]): string {
  if (forced !== undefined) {
    return forced.by === 'argument' ? `${name} was requested` : `${BACKEND_ENV_VAR}=${name} was set`;
  }
  const skipped = tried.filter((attempt) => !attempt.ok).map((attempt) => attempt.reason);
  return skipped.length === 0 ? `${name} is the fastest backend` : `fastest available (${skipped.join('; ')})`;
}

/**
 * Picks and sets the fastest backend that works here: `tensorflow` through `@tensorflow/tfjs-node-gpu`, then
 * `tensorflow` through `@tensorflow/tfjs-node`, then `wasm` with graft's training kernels, then `cpu`. Every
 * attempt is recorded with the reason it failed (package absent, native library failed to load).
 * `preference`, or else the `GRAFT_BACKEND` environment variable, forces one backend. Also silences tfjs'
 * Node.js banner.
 *
 * @throws GraftError('BACKEND_UNAVAILABLE') when a forced backend cannot start; the message says why and how to
 *   install it.
 * @throws GraftError('INVALID_ARGUMENT') when the preference or `GRAFT_BACKEND` names no known backend.
 */
export async function useBestBackend(
  preference?: BackendName,
  options: UseBestBackendOptions = {},
): Promise<BackendResolution> {
  const forced = forcedChoice(preference, options.env ?? process.env);
  const loader = options.loader ?? defaultModuleLoader;
  if (forced !== undefined) {
    const prepared = await prepareBackend(forced.backend, {
      loader,
      ...(forced.by === BACKEND_ENV_VAR ? { source: `${BACKEND_ENV_VAR}=${forced.backend}` } : {}),
      hintSuffix: `, or unset ${BACKEND_ENV_VAR} / drop the preference to let graft pick.`,
    });
    return { ...prepared, forcedBy: forced.by, why: explainChoice(prepared.name, forced, [...prepared.tried]) };
  }
  const { started, tried } = await startFirst(BACKEND_CANDIDATES, loader);
  if (started !== undefined) {
    return { name: started.backend, package: started.package, forcedBy: null, tried, why: explainChoice(started.backend, undefined, tried) };
  }
  throw new GraftError(
    'BACKEND_UNAVAILABLE',
    `Cannot use backend "cpu": ${tried.map((attempt) => attempt.reason).join('; ')}. To fix: ${INSTALL_HINTS.cpu}.`,
  );
}
