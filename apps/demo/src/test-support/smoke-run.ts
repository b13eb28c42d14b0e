import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(appDir, 'dist', 'main.js');
/** One minute in milliseconds, for the smoke runs' time limits. */
export const minutes = 60_000;

/** What a run of the built demo gave. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Builds the demo (so a stale dist never passes for the source; after nx built it this is a no-op), then runs the
 * BUILT entry as a real child process with `args` and `--out` in a fresh temporary folder named `prefix…`.
 *
 * @returns the report folder (`out`) and what the run gave.
 */
export async function runBuiltDemo(args: readonly string[], prefix: string): Promise<{ out: string; run: Run }> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-b'], { cwd: appDir, stdio: 'ignore' });
  if (!existsSync(main)) throw new Error(`${main} was not built; run npx tsc -b apps/demo and read its errors.`);
  const out = join(await mkdtemp(join(tmpdir(), prefix)), 'report');
  const run = await new Promise<Run>((resolve) => {
    execFile(process.execPath, [main, ...args, '--out', out], { cwd: tmpdir(), maxBuffer: 64 * 1024 * 1024, timeout: 9 * minutes }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
  return { out, run };
}

/** Removes the temporary folder of a {@link runBuiltDemo} report (nothing when there is none). */
export async function removeRunFolder(out: string | undefined): Promise<void> {
  if (out !== undefined) await rm(dirname(out), { recursive: true, force: true });
}

/** Expects `value` to be a finite number and gives it. */
export const finite = (value: unknown): number => {
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value)).toBe(true);
  return value as number;
};
