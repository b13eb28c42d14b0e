import { GraftError } from '@graft/core';

/** The backends graft can train on, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;

/** A backend graft can train on: `tensorflow` (libtensorflow through tfjs-node), `wasm` or `cpu`. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The environment variable that forces a backend, like the `preference` argument of `useBestBackend`. */
export const BACKEND_ENV_VAR = 'GRAFT_BACKEND';

/** True when `value` names a backend graft knows. */
export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

/**
 * Reads a backend name given by a user.
 *
 * @throws GraftError('INVALID_ARGUMENT') when `value` is not one of {@link BACKEND_NAMES}.
 */
export function parseBackendName(value: string, source: string): BackendName {
  const trimmed = value.trim().toLowerCase();
  if (isBackendName(trimmed)) return trimmed;
  throw new GraftError(
    'INVALID_ARGUMENT',
    `${source} must be one of ${BACKEND_NAMES.join(', ')}. Actual: "${value}".`,
  );
}
