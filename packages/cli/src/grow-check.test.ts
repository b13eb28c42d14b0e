import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '@graft/core/node';
import { denseIdentity } from '@graft/dense-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growCommand, type GrowResult } from './commands/grow.js';
import type { CliIO } from './io.js';
import { registeredStrategies, type StrategyLookup } from './strategies.js';
import { makeTempDir, writeModel } from './test-support/graft-process.js';

/** dense-identity with noise it was not asked for on the command line: its predictions move, unannounced. */
const lookup: StrategyLookup = {
  names: () => [...registeredStrategies.names(), 'unasked-noise'],
  create: (name) => (name === 'unasked-noise' ? denseIdentity({ noise: 0.5 }) : registeredStrategies.create(name)),
};

const quiet: CliIO = { out: () => undefined, err: () => undefined };

let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await makeTempDir('grow-check');
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('graft grow checks before the grown model takes --out', () => {
  it('refuses with NOT_PRESERVED and leaves nothing behind when predictions move', async () => {
    const small = tf.sequential({ layers: [tf.layers.dense({ name: 'hidden', inputShape: [5], units: 4, activation: 'tanh' }), tf.layers.dense({ name: 'output', units: 3 })] });
    const source = await writeModel(small, path.join(root, 'tanh'));
    const out = path.join(root, 'noisy');
    const error = await growCommand(source, { strategy: 'unasked-noise', after: 'hidden', out }, quiet, lookup).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_PRESERVED', message: expect.stringContaining('nothing was written') as unknown });
    expect((await fs.readdir(root)).sort()).toEqual(['tanh']);
  });

  it('checks a model over 1M parameters on the fastest backend and saves what it checked', async () => {
    const wide = tf.sequential({ layers: [tf.layers.dense({ name: 'wide_1', inputShape: [1024], units: 1024, activation: 'relu' }), tf.layers.dense({ name: 'wide_2', units: 16 })] });
    const source = await writeModel(wide, path.join(root, 'wide'));
    const out = path.join(root, 'wide-grown');
    let printed = '';
    await growCommand(source, { strategy: 'dense-identity', after: 'wide_1', out, json: true }, { ...quiet, out: (text) => void (printed += text) }, lookup);
    expect(tf.getBackend()).not.toBe('cpu');
    expect((JSON.parse(printed) as GrowResult).maxAbsDiff).toBe(0);
    await tf.setBackend('cpu');
    const [before, after] = [await loadModel(source), await loadModel(out)];
    const x = tf.randomUniform([8, 1024], -1, 1, 'float32', 3);
    const [y0, y1] = [before.predict(x) as tf.Tensor, after.predict(x) as tf.Tensor];
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y0.dataSync()));
    tf.dispose([x, y0, y1]);
    before.dispose();
    after.dispose();
  });
});
