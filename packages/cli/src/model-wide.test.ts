import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { dense, GraftError, insertAfter, plannedStrategy, refuse, type SurgeryStrategy } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growCommand } from './commands/grow.js';
import { inspectCommand } from './commands/inspect.js';
import type { CliIO } from './io.js';
import { registeredStrategies, type StrategyLookup } from './strategies.js';
import { makeTempDir, writeModel } from './test-support/graft-process.js';

/**
 * A model-wide test strategy (the registry has none yet): a linear identity Dense after the first Dense layer of
 * the model, wherever that is. Planned at the site "*", like hyperclone.
 */
function firstDenseIdentity(): SurgeryStrategy {
  return plannedStrategy({
    name: 'first-dense-identity',
    description: 'Test only: an identity Dense after the first Dense layer of the model.',
    scope: 'model',
    options: {},
    defaults: {},
    plan: (graph) => {
      const first = graph.nodes.find((node) => node.className === 'Dense');
      const width = first?.outputShapes?.[0]?.[0]?.[1];
      return first === undefined || typeof width !== 'number' ? refuse('the model has no Dense layer') : { ok: true, after: first.name, width };
    },
    build: (graph, _site, { after, width }) => {
      const kernel = new Float32Array(width * width);
      for (let i = 0; i < width; i++) kernel[i * width + i] = 1;
      const layer = dense({ name: `${after}_identity`, input: after, inputWidth: width, units: width, kernel });
      return { graph: insertAfter(graph, after, [layer]), added: [layer.name] };
    },
  });
}

const lookup: StrategyLookup = {
  names: () => [...registeredStrategies.names(), 'first-dense-identity'],
  create: (name) => (name === 'first-dense-identity' ? firstDenseIdentity() : registeredStrategies.create(name)),
};

function capture(): CliIO & { readonly text: () => string } {
  let text = '';
  return { out: (chunk) => void (text += chunk), err: () => undefined, text: () => text };
}

let root: string;
let modelFile: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await makeTempDir('model-wide');
  modelFile = await writeModel(getFixture('dense-chain-tanh').build(), path.join(root, 'tanh'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('a model-wide strategy in the CLI', () => {
  it('is listed by inspect --json with the single site "*"', async () => {
    const io = capture();
    await inspectCommand(modelFile, { json: true }, io, lookup);
    const sites = (JSON.parse(io.text()) as { sites: Record<string, string[]> }).sites;
    expect(sites['first-dense-identity']).toEqual(['*']);
    expect(sites['dense-identity']).toContain('dense_1');
  });

  it.each([
    ['without --after', {}],
    ['with --after "*"', { after: '*' }],
  ])('grows %s', async (label, after) => {
    const io = capture();
    const out = path.join(root, `grown-${label.replace(/\W+/g, '-')}`);
    await growCommand(modelFile, { strategy: 'first-dense-identity', out, json: true, ...after }, io, lookup);
    expect(JSON.parse(io.text())).toMatchObject({ strategy: 'first-dense-identity', after: '*', added: ['dense_1_identity'], maxAbsDiff: 0 });
    const saved = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8')) as { userDefinedMetadata: { graft: { history: unknown[] } } };
    expect(saved.userDefinedMetadata.graft.history).toEqual([{ strategy: 'first-dense-identity', after: '*', added: ['dense_1_identity'] }]);
  });

  it('refuses a layer name for a model-wide strategy, writing nothing', async () => {
    const out = path.join(root, 'refused');
    const error = await growCommand(modelFile, { strategy: 'first-dense-identity', after: 'dense_1', out }, capture(), lookup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).code).toBe('SITE_NOT_OFFERED');
    await expect(fs.stat(out)).rejects.toThrow();
  });
});
