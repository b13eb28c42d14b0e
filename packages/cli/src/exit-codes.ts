import { inspect } from 'node:util';
import { CommanderError } from 'commander';
import { isGraftError, type GraftErrorCode } from '@graft/core';

/** Exit status of `graft` when the command did what was asked. */
export const EXIT_OK = 0;
/** Exit status for anything else: a failed check (verify, grow's preservation), I/O errors, bugs. */
export const EXIT_FAILED = 1;
/** Exit status when graft refuses: invalid input, usage errors, bad model files, an occupied output. */
export const EXIT_REFUSED = 2;

// Codes that mean "the user asked for something graft will not do, or gave it bad files": the user can fix these
// by changing the command line or the input, so scripts can tell them apart from crashes and failed checks.
const REFUSED_CODES: ReadonlySet<GraftErrorCode> = new Set<GraftErrorCode>([
  'UNKNOWN_STRATEGY',
  'UNKNOWN_LAYER',
  'SITE_NOT_OFFERED',
  'INVALID_OPTION',
  'NOT_EXACT',
  'OUTPUT_EXISTS',
  'MODEL_NOT_FOUND',
  'MODEL_JSON_INVALID',
  'MODEL_TOPOLOGY_INVALID',
  'WEIGHTS_MANIFEST_INVALID',
  'WEIGHTS_PATH_ESCAPES',
  'WEIGHTS_FILE_MISSING',
  'WEIGHTS_SIZE_MISMATCH',
  'WEIGHTS_TOO_LARGE',
  'WEIGHTS_DTYPE_UNSUPPORTED',
  'INVALID_ARGUMENT',
  'DATA_INVALID',
  'NESTED_MODEL',
  'UNSUPPORTED_MODEL',
  'BACKEND_UNAVAILABLE',
]);

/** The exit status for an error thrown while running a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_REFUSED;
  if (isGraftError(error)) return REFUSED_CODES.has(error.code) ? EXIT_REFUSED : EXIT_FAILED;
  return EXIT_FAILED;
}

/**
 * One line for stderr: what was wrong and what was expected, with the GraftError code so scripts and bug reports
 * can name it. With `debug`, the stack and the chain of causes follow.
 */
export function formatError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = isGraftError(error) ? ` (${error.code})` : '';
  const line = `error: ${message.replace(/\s*\n\s*/g, ' ')}${code}\n`;
  if (!debug) return line;
  let details = '';
  for (let cause: unknown = error; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
    details += cause instanceof Error ? `${cause.stack ?? cause.message}\n` : `${inspect(cause)}\n`;
    if (!(cause instanceof Error)) break;
  }
  return line + details;
}
