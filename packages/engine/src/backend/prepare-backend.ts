import { GraftError } from '@graft/core';
import { parseBackendName, type BackendName } from './backend-names.js';
import { BACKEND_CANDIDATES, INSTALL_HINTS, defaultModuleLoader, type BackendCandidate, type ModuleLoader } from './candidates.js';
import { silenceTfjsBanner } from './silence-banner.js';

/** One backend candidate that was tried, and how it went. */
export interface BackendAttempt {
  readonly backend: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  readonly ok: boolean;
  /** Why it failed, or what it is when it worked. */
  readonly reason: string;
}

/** The backend {@link prepareBackend} started: its package and every candidate tried, ending with it. */
export interface PreparedBackend {
  readonly name: BackendName;
  readonly package: string;
  readonly tried: readonly BackendAttempt[];
}

/** Options of {@link prepareBackend}; most callers pass none. */
export interface PrepareBackendOptions {
  /** How backend packages are found and imported (default: Node resolution and `import()`); for tests. */
  readonly loader?: ModuleLoader;
  /** How the error names what asked for the backend (default `backend "<name>"`), e.g. `GRAFT_BACKEND=wasm`. */
  readonly source?: string;
  /** Appended to the error's install hint, e.g. how to let graft pick instead. */
  readonly hintSuffix?: string;
}

const OK_REASONS: Readonly<Record<BackendName, string>> = {
  tensorflow: 'libtensorflow native bindings',
  wasm: "WebAssembly with graft's training kernels",
  cpu: 'plain JavaScript (slowest)',
};

/**
 * Starts the first of `candidates` that works (making it current) and records every attempt; `undefined` when
 * none started. The one loop behind {@link prepareBackend} and `useBestBackend`.
 */
export async function startFirst(candidates: readonly BackendCandidate[], loader: ModuleLoader): Promise<{ started?: BackendCandidate; tried: BackendAttempt[] }> {
  silenceTfjsBanner();
  const tried: BackendAttempt[] = [];
  for (const candidate of candidates) {
    const failure = await candidate.start(loader);
    tried.push({ backend: candidate.backend, package: candidate.package, ok: failure === undefined, reason: failure ?? OK_REASONS[candidate.backend] });
    if (failure === undefined) {
      silenceTfjsBanner();
      return { started: candidate, tried };
    }
  }
  return { tried };
}

/**
 * Starts `backend` the way graft always does — `tensorflow` through tfjs-node-gpu then tfjs-node, `wasm` with
 * graft's training kernels (awaited), `cpu` — and makes it current. Every caller that needs a particular backend
 * (useBestBackend when forced, the conformance suite, benches) goes through here. Also silences tfjs' Node.js
 * banner.
 *
 * @throws GraftError('BACKEND_UNAVAILABLE') when it cannot start; the message says why and how to install it.
 * @throws GraftError('INVALID_ARGUMENT') when `backend` names no known backend.
 */
export async function prepareBackend(backend: BackendName, options: PrepareBackendOptions = {}): Promise<PreparedBackend> {
  const name = parseBackendName(backend, 'The backend');
  const { started, tried } = await startFirst(
    BACKEND_CANDIDATES.filter((candidate) => candidate.backend === name),
    options.loader ?? defaultModuleLoader,
  );
  if (started !== undefined) return { name, package: started.package, tried };
  throw new GraftError(
    'BACKEND_UNAVAILABLE',
    `Cannot use ${options.source ?? `backend "${name}"`}: ${tried.map((attempt) => attempt.reason).join('; ')}. ` +
      `To fix: ${INSTALL_HINTS[name]}${options.hintSuffix ?? '.'}`,
  );
}
