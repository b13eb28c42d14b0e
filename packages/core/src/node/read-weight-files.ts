import { promises as fs } from 'node:fs';
import { GraftError } from '../errors.js';
import { declaredByteLength, type WeightBuffer } from '../io/read-weights.js';
import type { ManifestGroup } from '../io/validate-manifest.js';

/** Where one group's bytes are: its files in order, with their lengths. */
interface GroupFiles {
  readonly files: readonly { readonly path: string; readonly length: number }[];
  readonly bytes: number;
}

/**
 * Checks that each group's files exist and hold exactly the bytes the manifest declares, before anything is read.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`.
 */
async function checkWeightFiles(groups: readonly ManifestGroup[], groupFiles: readonly (readonly string[])[]): Promise<GroupFiles[]> {
  const checked: GroupFiles[] = [];
  for (const [g, group] of groups.entries()) {
    const files: { path: string; length: number }[] = [];
    let size = 0;
    for (const file of groupFiles[g] ?? []) {
      const stat = await fs.stat(file).catch((cause: unknown) => {
        throw new GraftError('WEIGHTS_FILE_MISSING', `Weights file ${file} named in the manifest is missing.`, { cause });
      });
      files.push({ path: file, length: stat.size });
      size += stat.size;
    }
    if (size !== group.bytes) {
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.paths.join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
    }
    checked.push({ files, bytes: group.bytes });
  }
  return checked;
}

/**
 * Reads `length` bytes from `start` of a group (its files concatenated, as tfjs shards them) into `target`.
 * @throws GraftError `IO_FAILED` when a file ends early.
 */
async function readRange(group: GroupFiles, start: number, target: Uint8Array): Promise<void> {
  let fileStart = 0;
  let done = 0;
  for (const file of group.files) {
    const fileEnd = fileStart + file.length;
    const from = start + done;
    if (done < target.length && from < fileEnd) {
      const count = Math.min(fileEnd - from, target.length - done);
      const handle = await fs.open(file.path, 'r');
      try {
        const { bytesRead } = await handle.read(target, done, count, from - fileStart);
        if (bytesRead !== count) throw new GraftError('IO_FAILED', `${file.path} ended early while reading weights.`);
      } finally {
        await handle.close();
      }
      done += count;
    }
    fileStart = fileEnd;
  }
}

/**
 * Reads each declared weight straight from the files into a buffer of its own (no per-file copies joined later, no
 * model-sized buffer that every weight keeps alive), in manifest order. `groupFiles[g]` are group `g`'s files, already
 * resolved inside the model folder.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`, `IO_FAILED`.
 */
export async function readWeightBuffers(groups: readonly ManifestGroup[], groupFiles: readonly (readonly string[])[]): Promise<WeightBuffer[]> {
  const checked = await checkWeightFiles(groups, groupFiles);
  const buffers: WeightBuffer[] = [];
  for (const [g, group] of groups.entries()) {
    let offset = 0;
    for (const weight of group.weights) {
      const length = declaredByteLength(weight);
      const bytes = new ArrayBuffer(length);
      await readRange(checked[g]!, offset, new Uint8Array(bytes));
      buffers.push({ weight, bytes });
      offset += length;
    }
  }
  return buffers;
}

