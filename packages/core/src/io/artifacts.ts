import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '../dispose.js';
import { GraftError } from '../errors.js';
import { buildModel } from '../graph/build-model.js';
import { setWeightsByName, splitWeightData, type WeightBuffer, weightTensors } from './read-weights.js';
import { checkWeightsPath, DEFAULT_MAX_WEIGHT_BYTES, validateWeightSpecs } from './validate-manifest.js';

/** Options of {@link validateArtifacts} and {@link loadModelFrom}. */
export interface LoadModelOptions {
  /** Refuse models declaring more weight bytes than this (default 4 GiB). */
  readonly maxWeightBytes?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `topology`/`format` describe a tfjs layers model (and not a graph model), for a message naming `where`.
 * @throws GraftError `MODEL_TOPOLOGY_INVALID`.
 */
export function checkLayersTopology(topology: unknown, format: unknown, where: string): void {
  if (!isRecord(topology)) throw new GraftError('MODEL_TOPOLOGY_INVALID', `${where} has no "modelTopology" object; expected a tfjs layers model (format "layers-model").`);
  if (format !== undefined && format !== 'layers-model') {
    throw new GraftError('MODEL_TOPOLOGY_INVALID', `${where} is a ${JSON.stringify(format)}; graft works on layers models (format "layers-model").`);
  }
}

function byteLength(data: tf.io.WeightData | undefined): number {
  if (data === undefined) return 0;
  return (Array.isArray(data) ? data : [data]).reduce((n, b) => n + b.byteLength, 0);
}

/**
 * Validates in-memory model artifacts (what any tfjs IO handler's `load()` returns: IndexedDB, a URL,
 * `tf.io.browserFiles`, `tf.io.fromMemory`) with the same rules `loadModel` applies to files: a layers topology,
 * well-formed weight specs with supported dtypes, sizes under the limit, and weight data of exactly the declared size.
 *
 * @throws GraftError `MODEL_TOPOLOGY_INVALID`, `WEIGHTS_MANIFEST_INVALID`, `WEIGHTS_DTYPE_UNSUPPORTED`,
 * `WEIGHTS_TOO_LARGE`, `WEIGHTS_SIZE_MISMATCH`.
 */
export function validateArtifacts(artifacts: tf.io.ModelArtifacts, options: LoadModelOptions = {}): void {
  if (typeof artifacts !== 'object' || artifacts === null) throw new GraftError('MODEL_JSON_INVALID', `The model artifacts are ${artifacts === null ? 'null' : typeof artifacts}; expected a tf.io.ModelArtifacts object.`);
  checkLayersTopology(artifacts.modelTopology, artifacts.format, 'The model');
  const { bytes } = validateWeightSpecs(artifacts.weightSpecs ?? [], 'weightSpecs', options.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES);
  const held = byteLength(artifacts.weightData);
  if (held !== bytes) {
    throw new GraftError('WEIGHTS_SIZE_MISMATCH', `The model's weight data holds ${held} bytes; its weight specs declare ${bytes}. The weights are truncated or do not belong to this model.`);
  }
}

/** What a layers model is built from: its topology, one buffer per weight, and what travels with it. */
export interface ModelParts {
  readonly modelTopology: object;
  readonly weights: readonly WeightBuffer[];
  readonly trainingConfig?: tf.io.TrainingConfig;
  readonly userDefinedMetadata?: Record<string, object>;
}

/**
 * Builds a layers model without running initialisers: each weight becomes a tensor from its own buffer and is set by
 * name, as tfjs's strict loading does. Shared by `loadModel` (files) and {@link loadModelFrom} (anything else).
 * @throws GraftError `MODEL_TOPOLOGY_INVALID` or `WEIGHTS_MANIFEST_INVALID` naming `where`.
 */
export function buildModelFrom(parts: ModelParts, where: string): tf.LayersModel {
  let topology = parts.modelTopology as Record<string, unknown>;
  if (isRecord(topology['model_config'])) topology = topology['model_config'];
  let model: tf.LayersModel;
  try {
    model = buildModel(topology);
  } catch (cause) {
    throw new GraftError('MODEL_TOPOLOGY_INVALID', `tfjs could not build the model in ${where}: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const tensors = weightTensors(parts.weights);
  try {
    setWeightsByName(model, tensors);
  } catch (cause) {
    disposeModel(model);
    throw cause instanceof GraftError ? new GraftError(cause.code, `${where}: ${cause.message}`, { cause }) : cause;
  } finally {
    tf.dispose([...tensors.values()]);
  }
  if (parts.trainingConfig !== undefined) model.loadTrainingConfig(parts.trainingConfig as unknown as Parameters<tf.LayersModel['loadTrainingConfig']>[0]);
  if (parts.userDefinedMetadata !== undefined) model.setUserDefinedMetadata(parts.userDefinedMetadata);
  return model;
}

/** {@link buildModelFrom} for validated in-memory artifacts (their weight data cut into one copy per weight). */
function buildFromArtifacts(artifacts: tf.io.ModelArtifacts, where: string): tf.LayersModel {
  return buildModelFrom(
    {
      modelTopology: artifacts.modelTopology as object,
      weights: splitWeightData(artifacts.weightSpecs ?? [], artifacts.weightData),
      ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
      ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
    },
    where,
  );
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** An HTTP handler for `url` whose weight paths go through {@link checkWeightsPath} before anything is fetched. */
function checkedHttp(url: string): tf.io.IOHandler {
  const query = url.indexOf('?');
  const base = query < 0 ? url : url.slice(0, query);
  const suffix = query < 0 ? '' : url.slice(query);
  const prefix = base.slice(0, base.lastIndexOf('/') + 1);
  // A path that leaves the folder throws here, inside tfjs's weight loading, before any weight is fetched.
  return tf.io.http(url, { weightUrlConverter: (declared) => Promise.resolve(prefix + checkWeightsPath(declared) + suffix) });
}

function handlerFor(source: string): tf.io.IOHandler {
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'http' || scheme === 'https') return checkedHttp(source);
  const [handler] = tf.io.getLoadHandlers(source);
  if (handler === undefined) throw new GraftError('MODEL_NOT_FOUND', `No tfjs IO handler loads "${source}"; expected a URL, indexeddb://, localstorage:// or a registered scheme.`);
  return handler;
}

/**
 * Loads a tfjs layers model from anywhere tfjs can, in the browser or in Node, validating it before it is built:
 * a URL (weight paths must stay beside `model.json`), `indexeddb://name`, `localstorage://name`, any
 * `tf.io.IOHandler` (e.g. `tf.io.browserFiles([json, weights])`), or artifacts already in memory. For files on disk in
 * Node, `loadModel` from `@graft/core/node` reads them with the same rules.
 *
 * ```ts
 * const model = await loadModelFrom('indexeddb://my-model');
 * const { model: grown } = await grow(model, denseIdentity(), { after: 'dense_2' });
 * await grown.save('indexeddb://my-model-grown');   // any tfjs IO handler saves a grown model
 * ```
 *
 * @throws GraftError `MODEL_NOT_FOUND` when the source cannot be read; `WEIGHTS_PATH_ESCAPES`; and the codes of
 * {@link validateArtifacts}.
 */
export async function loadModelFrom(source: string | tf.io.IOHandler | tf.io.ModelArtifacts, options: LoadModelOptions = {}): Promise<tf.LayersModel> {
  const where = typeof source === 'string' ? source : 'the given model artifacts';
  let artifacts: tf.io.ModelArtifacts;
  if (typeof source === 'string' || (isRecord(source) && typeof source['load'] === 'function')) {
    const handler = typeof source === 'string' ? handlerFor(source) : (source as tf.io.IOHandler);
    try {
      artifacts = await (handler.load as () => Promise<tf.io.ModelArtifacts>)();
    } catch (cause) {
      if (cause instanceof GraftError) throw cause;
      throw new GraftError('MODEL_NOT_FOUND', `Cannot load ${where}: ${((cause as Error).message ?? String(cause)).split('\n')[0]}`, { cause });
    }
  } else {
    artifacts = source as tf.io.ModelArtifacts;
  }
  validateArtifacts(artifacts, options);
  return buildFromArtifacts(artifacts, where);
}

/**
 * The artifacts `model.save(handler)` hands to any tfjs IO handler, captured in memory with a JSON-normalised
 * topology, exactly as a handler would persist them: for downloads, custom storage, or a round trip without files.
 */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      captured = { ...artifacts, modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology)) as object };
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } });
    }),
  );
  if (captured === undefined) throw new GraftError('IO_FAILED', 'The model saved no artifacts; expected tfjs to call the save handler once.');
  return captured;
}
