#!/usr/bin/env node
// Surgery at scale for `npm run bench`: `graft grow` (dense-identity) on `wideDenseStack()` of @graft/models, a
// 67,125,248-parameter Dense stack (4096 → 4 × Dense(4096), 268 MB of float32 weights), timed from the outside with /usr/bin/time so seconds and peak RSS are the
// CLI's own: load, grow, check predictions, save. `node bench-surgery.mjs --make DIR` writes the model (own process).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIME = '/usr/bin/time';

/** Writes `wideDenseStack()` of @graft/models (the one builder of this model) to `dir` and prints its parameter count. */
async function make(dir) {
  const tf = await import('@tensorflow/tfjs');
  const { saveModel } = await import(pathToFileURL(path.join(root, 'packages/core/dist/node/index.js')).href);
  const { wideDenseStack } = await import(pathToFileURL(path.join(root, 'packages/models/dist/index.js')).href);
  await tf.setBackend('cpu');
  const model = wideDenseStack();
  await saveModel(model, dir);
  process.stdout.write(`${model.countParams()}\n`);
}

/**
 * Makes the model in a child process, then times `graft grow --strategy dense-identity --after dense_2` on it.
 * Resolves to `{ params, seconds, peakRssMiB }`, or `{ skipped }` with the reason.
 */
export function measureSurgery() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'graft-surgery-'));
  try {
    const made = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--make', path.join(work, 'source')], { cwd: root, encoding: 'utf8' });
    if (made.status !== 0) return { skipped: `making the 67M-parameter model failed: ${made.stderr.trim().split('\n').pop()}` };
    const params = Number(made.stdout.trim());
    const cli = [path.join(root, 'packages/cli/bin/graft.js'), 'grow', path.join(work, 'source', 'model.json'), '--strategy', 'dense-identity', '--after', 'dense_2', '--out', path.join(work, 'grown'), '--json'];
    const timed = existsSync(TIME);
    const usage = path.join(work, 'usage.txt');
    const started = performance.now();
    const grown = timed
      ? spawnSync(TIME, ['-f', '%e %M', '-o', usage, process.execPath, ...cli], { cwd: root, encoding: 'utf8' })
      : spawnSync(process.execPath, cli, { cwd: root, encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    if (grown.status !== 0) return { params, skipped: `graft grow failed: ${grown.stderr.trim().split('\n').pop()}` };
    const [seconds, rssKiB] = timed ? readFileSync(usage, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [wall, Number.NaN];
    return {
      params,
      seconds: Math.round(seconds * 100) / 100,
      peakRssMiB: Number.isFinite(rssKiB) ? Math.round((rssKiB / 1024) * 10) / 10 : null,
      weightsMiB: Math.round(((params * 4) / 2 ** 20) * 10) / 10,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--make') await make(process.argv[3]);
