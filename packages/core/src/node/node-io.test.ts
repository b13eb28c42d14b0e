import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getFixture, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../errors.js';
import { grow } from '../grow.js';
import { addedLayers } from '../metadata.js';
import { linearIdentityForTests } from '../test-support/identity-strategy.js';
import { loadModel } from './load-model.js';
import { saveModel } from './save-model.js';

let root: string;
let good: string;
let model: tf.LayersModel;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'graft-io-'));
  model = getFixture('conv-batchnorm-dropout').build();
  good = path.join(root, 'good');
  await saveModel(model, good);
});
afterAll(async () => {
  model.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

/** The parts of model.json the refusal cases edit. */
interface EditableModelJson {
  format?: string;
  modelTopology?: { config: { layers: { class_name: string }[] } };
  weightsManifest?: { paths: string[]; weights: { name?: string; shape: number[]; dtype: string }[] }[];
}

/** A copy of the good model whose model.json or weights were changed by `edit`. */
async function variant(name: string, edit: (json: EditableModelJson, dir: string) => Promise<void> | void): Promise<string> {
  const dir = path.join(root, name);
  await fs.cp(good, dir, { recursive: true });
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as EditableModelJson;
  await edit(json, dir);
  await fs.writeFile(file, JSON.stringify(json));
  return file;
}

describe('saveModel and loadModel', () => {
  it('writes the files tfjs\'s own model.save would', async () => {
    const model = getFixture('multi-input-multi-output').build();
    model.setUserDefinedMetadata({ owner: 'test' });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }));
    const dir = path.join(root, 'like-tfjs');
    await saveModel(model, dir);
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: unknown; weightsManifest: [{ weights: unknown }]; userDefinedMetadata: unknown; generatedBy: unknown };
    expect(json.modelTopology).toEqual(artifacts!.modelTopology);
    expect(json.weightsManifest[0].weights).toEqual(artifacts!.weightSpecs);
    expect(json.userDefinedMetadata).toEqual({ owner: 'test' });
    expect(json.generatedBy).toBe(artifacts!.generatedBy);
    const bytes = new Uint8Array(await fs.readFile(path.join(dir, 'weights.bin')));
    expect(bytes).toEqual(new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData)));
    model.dispose();
  });

  it('round-trips predictions and weights exactly', async () => {
    const loaded = await loadModel(path.join(good, 'model.json'));
    const fixture = getFixture('conv-batchnorm-dropout');
    const inputs = randomInputs(fixture, 3);
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(loaded, inputs))).toBe(0);
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    inputs.forEach((t) => t.dispose());
    loaded.dispose();
  });

  it('accepts the folder instead of model.json', async () => {
    const loaded = await loadModel(good);
    expect(loaded.layers.length).toBe(model.layers.length);
    loaded.dispose();
  });

  it('keeps graft metadata through save and load', async () => {
    const chain = getFixture('dense-chain-relu').build();
    const { model: grown } = await grow(chain, linearIdentityForTests(), { after: 'dense_3' });
    const dir = path.join(root, 'grown');
    await saveModel(grown, dir);
    const loaded = await loadModel(dir);
    expect(addedLayers(loaded)).toEqual(['dense_3_identity']);
    [chain, grown, loaded].forEach((m) => m.dispose());
  });

  it('refuses a non-empty target unless overwrite, and leaves it intact', async () => {
    const before = await fs.readFile(path.join(good, 'model.json'));
    await expect(saveModel(model, good)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(await fs.readFile(path.join(good, 'model.json'))).toEqual(before);
    await saveModel(model, good, { overwrite: true });
    const entries = await fs.readdir(root);
    expect(entries.filter((e) => e.includes('.tmp-') || e.includes('.old-'))).toEqual([]);
  });

  it('writes into an existing empty folder', async () => {
    const dir = path.join(root, 'empty');
    await fs.mkdir(dir);
    await saveModel(model, dir);
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  });
});

describe('loadModel refuses bad files, each with its own code', () => {
  const cases: [string, string, (json: EditableModelJson, dir: string) => Promise<void> | void][] = [
    ['a weights path escaping the folder', 'WEIGHTS_PATH_ESCAPES', (j) => void (j.weightsManifest![0]!.paths = ['../good/weights.bin'])],
    ['an absolute weights path', 'WEIGHTS_PATH_ESCAPES', (j) => void (j.weightsManifest![0]!.paths = ['/etc/passwd'])],
    ['a URL as weights path', 'WEIGHTS_PATH_ESCAPES', (j) => void (j.weightsManifest![0]!.paths = ['https://example.com/w.bin'])],
    ['truncated weights', 'WEIGHTS_SIZE_MISMATCH', async (_j, dir) => {
      const file = path.join(dir, 'weights.bin');
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, bytes.length - 10));
    }],
    ['extra bytes in the weights', 'WEIGHTS_SIZE_MISMATCH', async (_j, dir) => fs.appendFile(path.join(dir, 'weights.bin'), Buffer.alloc(8))],
    ['a missing weights file', 'WEIGHTS_FILE_MISSING', async (_j, dir) => fs.rm(path.join(dir, 'weights.bin'))],
    ['absurd declared shapes', 'WEIGHTS_TOO_LARGE', (j) => void (j.weightsManifest![0]!.weights[0]!.shape = [1e9, 1e9])],
    ['negative dimensions', 'WEIGHTS_MANIFEST_INVALID', (j) => void (j.weightsManifest![0]!.weights[0]!.shape = [-3, 2])],
    ['a weight without a name', 'WEIGHTS_MANIFEST_INVALID', (j) => void delete j.weightsManifest![0]!.weights[0]!.name],
    ['no weightsManifest', 'WEIGHTS_MANIFEST_INVALID', (j) => void delete j.weightsManifest],
    ['an unsupported dtype', 'WEIGHTS_DTYPE_UNSUPPORTED', (j) => void (j.weightsManifest![0]!.weights[0]!.dtype = 'complex64')],
    ['no modelTopology', 'MODEL_TOPOLOGY_INVALID', (j) => void delete j.modelTopology],
    ['a graph model', 'MODEL_TOPOLOGY_INVALID', (j) => void (j.format = 'graph-model')],
    ['an unknown layer class', 'MODEL_TOPOLOGY_INVALID', (j) => void (j.modelTopology!.config.layers[0]!.class_name = 'NoSuchLayer')],
  ];
  it.each(cases)('%s → %s', async (name, code, edit) => {
    const file = await variant(name.replace(/\W+/g, '-'), edit);
    const error = await loadModel(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).code).toBe(code);
    expect((error as GraftError).message).not.toContain('\n');
  });

  it('corrupt JSON → MODEL_JSON_INVALID', async () => {
    const dir = path.join(root, 'corrupt');
    await fs.cp(good, dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'model.json'), '{"modelTopology": {');
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'MODEL_JSON_INVALID' });
  });

  it('a JSON array → MODEL_JSON_INVALID', async () => {
    const dir = path.join(root, 'array');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'model.json'), '[]');
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'MODEL_JSON_INVALID' });
  });

  it('a missing model.json → MODEL_NOT_FOUND', async () => {
    await expect(loadModel(path.join(root, 'nowhere', 'model.json'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
