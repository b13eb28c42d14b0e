import { CommanderError } from 'commander';
import { exitCodeFor, formatError } from './exit-codes.js';
import type { CliIO } from './io.js';
import { createProgram, type RunState } from './program.js';

const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/**
 * Runs `graft` with `args` (without `node` and the script) and returns the exit status: 0 ok, 2 refused or invalid
 * input, 1 anything else. Errors are written to `io.err` as one line (with the stack under `--debug`); nothing
 * is thrown.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['inspect', 'trained/model.json', '--json']);
 * ```
 */
export async function runCli(args: readonly string[], io: CliIO = processIO): Promise<number> {
  const state: RunState = { exitCode: 0 };
  const program = createProgram(io, state);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    // Commander has already printed its own one-line message (or the help).
    if (!(error instanceof CommanderError)) io.err(formatError(error, program.opts()['debug'] === true || args.includes('--debug')));
    return exitCodeFor(error);
  }
}
