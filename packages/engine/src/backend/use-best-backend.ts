import { GraftError } from '@graft/core';
import { BACKEND_ENV_VAR, parseBackendName, type BackendName } from './backend-names.js';
import { BACKEND_CANDIDATES, INSTALL_HINTS, defaultModuleLoader, type ModuleLoader } from './candidates.js';
import { silenceTfjsBanner } from './silence-banner.js';

/** One backend `useBestBackend` tried, and how it went. */
export interface BackendAttempt {
  readonly backend: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  readonly ok: boolean;
  /** Why it failed, or what it is when it worked. */
  readonly reason: string;
}

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

const OK_REASONS: Readonly<Record<BackendName, string>> = {
  tensorflow: 'libtensorflow native bindings',
  wasm: "WebAssembly with graft's training kernels",
  cpu: 'plain JavaScript (slowest)',
};

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
  silenceTfjsBanner();
  const forced = forcedChoice(preference, options.env ?? process.env);
  const load = options.loader ?? defaultModuleLoader;
  const candidates = BACKEND_CANDIDATES.filter((c) => forced === undefined || c.backend === forced.backend);
  const tried: BackendAttempt[] = [];
  for (const candidate of candidates) {
    const failure = await candidate.start(load);
    const ok = failure === undefined;
    tried.push({ backend: candidate.backend, package: candidate.package, ok, reason: failure ?? OK_REASONS[candidate.backend] });
    if (ok) {
      silenceTfjsBanner();
      return {
        name: candidate.backend,
        package: candidate.package,
        forcedBy: forced?.by ?? null,
        tried,
        why: explainChoice(candidate.backend, forced, tried),
      };
    }
  }
  const wanted = forced?.backend ?? 'cpu';
  const source = forced?.by === BACKEND_ENV_VAR ? `${BACKEND_ENV_VAR}=${wanted}` : `backend "${wanted}"`;
  throw new GraftError(
    'BACKEND_UNAVAILABLE',
    `Cannot use ${source}: ${tried.map((attempt) => attempt.reason).join('; ')}. To fix: ${INSTALL_HINTS[wanted]}` +
      (forced === undefined ? '.' : `, or unset ${BACKEND_ENV_VAR} / drop the preference to let graft pick.`),
  );
}
