import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '@graft/datasets';
import { buildTinyModel, KILL_LIMIT, KILL_RUN, weightBytes } from '../test-fixtures/tiny-model.mjs';
import { train } from '../train.js';
import { checkpointFolder } from './checkpoint-folder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, '..', 'test-fixtures', 'train-child.mjs');
let root: string;

// The child runs the built package (dist), so the package must be built before this test runs.
async function assertBuilt(): Promise<void> {
  const built = path.join(here, '..', '..', 'dist', 'node', 'index.js');
  if (!(await fs.stat(built).then(() => true, () => false))) {
    throw new Error(`${built} is missing; run "npx tsc -b packages/train" first.`);
  }
}

async function readEpoch(dir: string): Promise<number | undefined> {
  const text = await fs.readFile(path.join(dir, 'state.json'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as { epoch: number }).epoch;
}

/** Runs the child until it reports a batch of epoch 2, then SIGKILLs it; resolves with what it saw then. */
function killDuringEpochTwo(dir: string): Promise<{ signal: NodeJS.Signals | null; epochAtKill: number | undefined; stderr: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let epochAtKill: number | undefined;
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    process_.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (epochAtKill === undefined && stdout.includes('epoch 2 batch 1\n')) {
        void readEpoch(dir).then((epoch) => {
          epochAtKill = epoch;
          process_.kill('SIGKILL');
        });
      }
    });
    process_.on('error', reject);
    process_.on('exit', (_code, signal) => resolve({ signal, epochAtKill, stderr }));
  });
}

describe('resume after SIGKILL', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(tmpdir(), 'graft-train-kill-'));
    await assertBuilt();
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a child killed in epoch 2 resumes at epoch 1 and ends with the weights of an uninterrupted run', async () => {
    const dir = path.join(root, 'checkpoint');
    const killed = await killDuringEpochTwo(dir);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.epochAtKill).toBe(1);
    // Epoch 2 (slowed by the child) never finished: the checkpoint on disk is still epoch 1's.
    expect(await readEpoch(dir)).toBe(1);

    const data = await loadMnist({ limit: KILL_LIMIT });
    const resumedModel = buildTinyModel(tf);
    const resumed = await train(resumedModel, data, { ...KILL_RUN, checkpoint: checkpointFolder(dir), resume: true });
    expect(resumed.resumedFromEpoch).toBe(1);
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);

    const straightModel = buildTinyModel(tf);
    const straight = await train(straightModel, data, KILL_RUN);
    const [a, b] = [weightBytes(resumedModel), weightBytes(straightModel)];
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
    expect(resumed.epochs.map((e) => e.trainLoss)).toEqual(straight.epochs.map((e) => e.trainLoss));
  });
});
