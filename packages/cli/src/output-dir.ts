import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraftError } from '@graft/core';

/**
 * Refuses an occupied `--out` before any slow work (growing, training), with the same rule and code as core's
 * `saveModel`, which checks again when it writes.
 *
 * @throws GraftError `OUTPUT_EXISTS` when `dir` is a file or a non-empty folder.
 */
export async function assertOutputFree(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat === undefined) return;
  if (!stat.isDirectory() || (await fs.readdir(target)).length > 0) {
    throw new GraftError('OUTPUT_EXISTS', `Output ${target} already exists and is not empty; expected a new or empty folder.`);
  }
}
