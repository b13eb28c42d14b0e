/**
 * Every way graft can refuse or fail, as a stable machine-readable code.
 * Codes are part of the public contract: the CLI maps them to exit codes and tests assert them.
 */
export type GraftErrorCode =
  // strategies and sites
  | 'INVALID_STRATEGY'
  | 'UNKNOWN_STRATEGY'
  | 'UNKNOWN_LAYER'
  | 'SITE_NOT_OFFERED'
  | 'INVALID_OPTION'
  | 'NOT_EXACT'
  // graphs
  | 'UNSUPPORTED_MODEL'
  | 'NESTED_MODEL'
  | 'INVALID_GRAPH'
  | 'DUPLICATE_LAYER'
  // model files
  | 'MODEL_NOT_FOUND'
  | 'MODEL_JSON_INVALID'
  | 'MODEL_TOPOLOGY_INVALID'
  | 'WEIGHTS_MANIFEST_INVALID'
  | 'WEIGHTS_PATH_ESCAPES'
  | 'WEIGHTS_FILE_MISSING'
  | 'WEIGHTS_SIZE_MISMATCH'
  | 'WEIGHTS_TOO_LARGE'
  | 'WEIGHTS_DTYPE_UNSUPPORTED'
  | 'OUTPUT_EXISTS'
  | 'IO_FAILED'
  // data, training and backends
  | 'DATA_INVALID'
  | 'DATA_NOT_FOUND'
  | 'CHECKPOINT_INVALID'
  | 'BACKEND_UNAVAILABLE'
  | 'KERNEL_UNSUPPORTED'
  | 'NOT_PRESERVED'
  | 'INVALID_ARGUMENT';

/** Options accepted by {@link GraftError}. */
export interface GraftErrorOptions {
  /** The underlying error, kept for `--debug` output and programmatic inspection. */
  readonly cause?: unknown;
}

/**
 * The one error type of graft. `message` is a single line a user can act on: what was wrong and what was expected.
 *
 * @example
 * ```ts
 * throw new GraftError('UNKNOWN_LAYER', 'No layer named "dense_9". Expected one of: dense_1, dense_2.');
 * ```
 */
export class GraftError extends Error {
  /** Stable machine-readable code. */
  readonly code: GraftErrorCode;

  constructor(code: GraftErrorCode, message: string, options: GraftErrorOptions = {}) {
    super(message.replace(/\s*\n\s*/g, ' '), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GraftError';
    this.code = code;
  }
}

/** True when `error` is a {@link GraftError}, optionally with the given code. */
export function isGraftError(error: unknown, code?: GraftErrorCode): error is GraftError {
  return error instanceof GraftError && (code === undefined || error.code === code);
}
