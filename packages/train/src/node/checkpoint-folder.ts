import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraftError } from '@graft/core';
import type { CheckpointFiles, CheckpointStore, StoredCheckpoint } from '../checkpoint-store.js';
import { invalid } from '../checkpoint.js';

const STATE_FILE = 'state.json';

/**
 * A checkpoint store in the folder `dir`, for `train`'s `checkpoint` option. A write goes to `dir.tmp` first;
 * then `dir` becomes `dir.previous`, `dir.tmp` becomes `dir`, and `dir.previous` is removed. At every instant one
 * of `dir` and `dir.previous` holds a whole checkpoint, and a read looks in both. The folder holds a loadable
 * `model.json` + `weights.bin`, `optimizer.bin` and `state.json`.
 */
export function checkpointFolder(dir: string): CheckpointStore {
  const target = path.resolve(dir);
  return {
    location: target,
    read: () => readFolder(target),
    write: (files) => writeFolder(target, files),
  };
}

async function writeFolder(target: string, files: CheckpointFiles): Promise<void> {
  const temp = `${target}.tmp`;
  const previous = `${target}.previous`;
  try {
    await fs.rm(temp, { recursive: true, force: true });
    await fs.mkdir(temp, { recursive: true });
    for (const [name, bytes] of files) await fs.writeFile(path.join(temp, name), bytes);
    if (await exists(target)) {
      await fs.rm(previous, { recursive: true, force: true });
      await fs.rename(target, previous);
    }
    await fs.rename(temp, target);
    await fs.rm(previous, { recursive: true, force: true });
  } catch (cause) {
    throw new GraftError('IO_FAILED', `Could not write the checkpoint to ${target}: ${(cause as Error).message}`, { cause });
  }
}

async function readFolder(target: string): Promise<StoredCheckpoint | undefined> {
  let folder: string | undefined;
  for (const candidate of [target, `${target}.previous`]) {
    if (await exists(path.join(candidate, STATE_FILE))) {
      folder = candidate;
      break;
    }
  }
  if (folder === undefined) {
    const entries = await fs.readdir(target).catch(() => []);
    if (entries.length === 0) return undefined;
    throw invalid(path.join(target, STATE_FILE), 'is missing, but the folder is not empty; expected a checkpoint written by train()');
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(folder, entry.name);
    files.set(
      entry.name,
      await fs.readFile(file).catch((cause: unknown) => {
        throw invalid(file, 'cannot be read', cause);
      }),
    );
  }
  return { location: folder, files };
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
