import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { dense, insertAfter, plannedStrategy, type SurgeryStrategy } from '@graft/core';
import { loadModel } from '@graft/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growCommand, type GrowResult } from './commands/grow.js';
import type { CliIO } from './io.js';
import { registeredStrategies, type StrategyLookup } from './strategies.js';
import { makeTempDir, writeModel } from './test-support/graft-process.js';

/** Test only: a Dense with kernel 2·I after a layer, which doubles what the model predicts. */
function doubling(): SurgeryStrategy {
  return plannedStrategy({
    name: 'doubling',
    description: 'Test only: a Dense doubling its input after a layer.',
    scope: 'layer',
    options: {},
    defaults: {},
    plan: (graph, layer) => ({ ok: true, after: layer, width: graph.nodes.find((node) => node.name === layer)?.outputShapes?.[0]?.[0]?.[1] as number }),
    build: (graph, _site, { after: site, width }) => {
      const kernel = new Float32Array(width * width);
      for (let i = 0; i < width; i++) kernel[i * width + i] = 2;
      const layer = dense({ name: `${site}_doubling`, input: site, inputWidth: width, units: width, kernel });
      return { graph: insertAfter(graph, site, [layer]), added: [layer.name] };
    },
  });
}

const lookup: StrategyLookup = {
  names: () => [...registeredStrategies.names(), 'doubling'],
  create: (name) => (name === 'doubling' ? doubling() : registeredStrategies.create(name)),
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
    const out = path.join(root, 'doubled');
    const error = await growCommand(source, { strategy: 'doubling', after: 'hidden', out }, quiet, lookup).catch((e: unknown) => e);
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
