import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { getFixture, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../errors.js';
import { grow } from '../grow.js';
import { addedLayers } from '../metadata.js';
import { linearIdentityForTests } from '../test-support/identity-strategy.js';
import { loadModelFrom, modelArtifacts, validateArtifacts } from './artifacts.js';
import { checkWeightsPath } from './validate-manifest.js';

let model: tf.LayersModel;
let good: tf.io.ModelArtifacts;

beforeAll(async () => {
  model = getFixture('conv-batchnorm-dropout').build();
  good = await modelArtifacts(model);
});
afterAll(() => model.dispose());

/** The parts of the artifacts the refusal cases edit. */
interface EditableArtifacts {
  format?: string;
  modelTopology?: { config: { layers: { class_name: string }[] } };
  weightSpecs: { name?: string; shape: number[]; dtype: string }[];
  weightData?: ArrayBuffer | ArrayBuffer[];
}

/** A deep copy of the good artifacts, changed by `edit`. */
function variant(edit: (a: EditableArtifacts) => void): tf.io.ModelArtifacts {
  const copy = { ...structuredClone({ ...good, weightData: undefined }), weightData: (good.weightData as ArrayBuffer).slice(0) } as unknown as EditableArtifacts;
  edit(copy);
  return copy as unknown as tf.io.ModelArtifacts;
}
const first = (a: EditableArtifacts, i = 0) => a.weightSpecs[i]!;
const bytes = (a: EditableArtifacts) => a.weightData as ArrayBuffer;

describe('loadModelFrom and modelArtifacts, without files', () => {
  it('round-trips predictions exactly through in-memory artifacts and through an IO handler', async () => {
    const inputs = randomInputs(getFixture('conv-batchnorm-dropout'), 3);
    for (const source of [good, tf.io.fromMemory(good)]) {
      const loaded = await loadModelFrom(source);
      expect(maxAbsDiff(predictAll(model, inputs), predictAll(loaded, inputs))).toBe(0);
      loaded.dispose();
    }
    inputs.forEach((t) => t.dispose());
  });

  it('saves a grown model through any IO handler with its graft metadata', async () => {
    const chain = getFixture('dense-chain-relu').build();
    const { model: grown } = await grow(chain, linearIdentityForTests(), { after: 'dense_3' });
    let saved: tf.io.ModelArtifacts | undefined;
    await grown.save(tf.io.withSaveHandler((a) => ((saved = a), Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } }))));
    const loaded = await loadModelFrom(saved as tf.io.ModelArtifacts);
    expect(addedLayers(loaded)).toEqual(['dense_3_identity']);
    [chain, grown, loaded].forEach((m) => m.dispose());
  });
});

describe('validateArtifacts applies the file rules to in-memory artifacts', () => {
  const cases: [string, string, (a: EditableArtifacts) => void][] = [
    ['truncated weight data', 'WEIGHTS_SIZE_MISMATCH', (a) => void (a.weightData = bytes(a).slice(0, bytes(a).byteLength - 8))],
    ['extra weight bytes', 'WEIGHTS_SIZE_MISMATCH', (a) => void (a.weightData = [bytes(a), new ArrayBuffer(8)])],
    ['no weight data', 'WEIGHTS_SIZE_MISMATCH', (a) => void delete a.weightData],
    ['absurd declared shapes', 'WEIGHTS_TOO_LARGE', (a) => void (first(a).shape = [1e9, 1e9])],
    ['negative dimensions', 'WEIGHTS_MANIFEST_INVALID', (a) => void (first(a).shape = [-3, 2])],
    ['a weight without a name', 'WEIGHTS_MANIFEST_INVALID', (a) => void delete first(a).name],
    ['a weight declared twice', 'WEIGHTS_MANIFEST_INVALID', (a) => void (first(a, 1).name = first(a).name!)],
    ['an unsupported dtype', 'WEIGHTS_DTYPE_UNSUPPORTED', (a) => void (first(a).dtype = 'complex64')],
    ['no modelTopology', 'MODEL_TOPOLOGY_INVALID', (a) => void delete a.modelTopology],
    ['a graph model', 'MODEL_TOPOLOGY_INVALID', (a) => void (a.format = 'graph-model')],
    ['an unknown layer class', 'MODEL_TOPOLOGY_INVALID', (a) => void (a.modelTopology!.config.layers[0]!.class_name = 'NoSuchLayer')],
  ];
  it.each(cases)('%s → %s', async (_name, code, edit) => {
    const error = await loadModelFrom(variant(edit)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).code).toBe(code);
    expect((error as GraftError).message).not.toContain('\n');
  });

  it('honours maxWeightBytes', () => {
    expect(() => validateArtifacts(good, { maxWeightBytes: 64 })).toThrow(expect.objectContaining({ code: 'WEIGHTS_TOO_LARGE' }));
    expect(() => validateArtifacts(good)).not.toThrow();
  });

  it('a handler that fails → MODEL_NOT_FOUND with its message', async () => {
    const failing: tf.io.IOHandler = { load: () => Promise.reject(new Error('no such model in IndexedDB')) };
    const error = (await loadModelFrom(failing).catch((e: unknown) => e)) as GraftError;
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain('no such model in IndexedDB');
  });
});

describe('checkWeightsPath', () => {
  it.each(['weights.bin', 'group1-shard1of2.bin', 'sub/w.bin'])('accepts %s', (p) => expect(checkWeightsPath(p)).toBe(p));
  it.each(['../w.bin', 'a/../../w.bin', '/etc/passwd', '\\\\server\\w', 'C:w.bin', 'https://example.com/w.bin', 'data:,x', '', 'w\0.bin'])('refuses %j', (p) => {
    expect(() => checkWeightsPath(p)).toThrow(expect.objectContaining({ code: 'WEIGHTS_PATH_ESCAPES' }));
  });
});

describe('loadModelFrom a URL', () => {
  let server: Server;
  let base: string;
  const requested: string[] = [];
  const files = new Map<string, { type: string; body: Uint8Array | string }>();

  beforeAll(async () => {
    const json = (paths: string[]) => JSON.stringify({ modelTopology: good.modelTopology, format: 'layers-model', weightsManifest: [{ paths, weights: good.weightSpecs }] });
    files.set('/models/good/model.json', { type: 'application/json', body: json(['weights.bin']) });
    files.set('/models/good/weights.bin', { type: 'application/octet-stream', body: new Uint8Array(good.weightData as ArrayBuffer) });
    files.set('/models/escape/model.json', { type: 'application/json', body: json(['../good/weights.bin']) });
    server = createServer((request, response) => {
      requested.push(request.url ?? '');
      const file = files.get((request.url ?? '').split('?')[0] ?? '');
      response.writeHead(file === undefined ? 404 : 200, { 'content-type': file?.type ?? 'text/plain' }).end(file?.body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads model.json and its weights over HTTP', async () => {
    const loaded = await loadModelFrom(`${base}/models/good/model.json`);
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    loaded.dispose();
  });

  it('refuses a weights path leaving the model folder before fetching it', async () => {
    requested.length = 0;
    await expect(loadModelFrom(`${base}/models/escape/model.json`)).rejects.toMatchObject({ code: 'WEIGHTS_PATH_ESCAPES' });
    expect(requested).toEqual(['/models/escape/model.json']);
  });

  it('a missing model → MODEL_NOT_FOUND', async () => {
    await expect(loadModelFrom(`${base}/models/none/model.json`)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
