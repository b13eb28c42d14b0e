import { GraftError } from '../errors.js';

/** One weight as declared in `model.json`'s `weightsManifest` (or in `tf.io.ModelArtifacts.weightSpecs`). */
export interface DeclaredWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string };
}

/** A manifest group after {@link validateManifest}: its checked paths (as written), weights and expected bytes. */
export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly DeclaredWeight[];
  /** How many bytes the group's files must hold together. */
  readonly bytes: number;
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, int8: 1, int16: 2, float16: 2 };

/** Default ceiling on the declared size of all weights: 4 GiB, beyond what a tfjs-layers model can hold in practice. */
export const DEFAULT_MAX_WEIGHT_BYTES = 4 * 1024 ** 3;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a weights path from a manifest without touching any file system: it must be a relative name that stays
 * beside its `model.json` (no `..`, no absolute or drive path, no URL, no NUL), on disk as behind a URL.
 * @throws GraftError `WEIGHTS_PATH_ESCAPES`.
 */
export function checkWeightsPath(declared: string): string {
  const bad = declared.length === 0 || declared.startsWith('/') || declared.startsWith('\\') || /^[a-zA-Z]:/.test(declared)
    || declared.includes('\0') || declared.split(/[\\/]/).includes('..') || /^[a-z][a-z0-9+.-]*:/i.test(declared);
  if (bad) throw new GraftError('WEIGHTS_PATH_ESCAPES', `Weights path "${declared}" leaves the model folder; expected a relative file name beside model.json.`);
  return declared;
}

/** Byte size of one declared weight. @throws GraftError `WEIGHTS_MANIFEST_INVALID` / `WEIGHTS_DTYPE_UNSUPPORTED` / `WEIGHTS_TOO_LARGE`. */
function declaredBytes(weight: DeclaredWeight, maxBytes: number): number {
  if (!Array.isArray(weight.shape) || weight.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new GraftError('WEIGHTS_MANIFEST_INVALID', `Weight "${weight.name}" declares shape ${JSON.stringify(weight.shape)}; expected non-negative integers.`);
  }
  const storedAs = weight.quantization?.dtype ?? weight.dtype;
  const bytes = BYTES[storedAs];
  if (bytes === undefined || !['float32', 'int32', 'bool'].includes(weight.dtype)) {
    throw new GraftError('WEIGHTS_DTYPE_UNSUPPORTED', `Weight "${weight.name}" has dtype "${storedAs}"; expected float32, int32, bool or a uint8/uint16/float16 quantization.`);
  }
  let elements = 1;
  for (const d of weight.shape) {
    elements *= d;
    if (elements * bytes > maxBytes) {
      throw new GraftError('WEIGHTS_TOO_LARGE', `Weight "${weight.name}" declares shape [${weight.shape.join(', ')}], over the ${maxBytes} byte limit; the model file is corrupt or not a tfjs model.`);
    }
  }
  return elements * bytes;
}

/**
 * Validates a list of weight declarations (`weightSpecs`, or one manifest group's `weights`): names present and
 * unique across `seen`, shapes non-negative integers, supported dtypes, sizes under `maxBytes`. Returns their bytes.
 * @throws GraftError `WEIGHTS_MANIFEST_INVALID`, `WEIGHTS_DTYPE_UNSUPPORTED`, `WEIGHTS_TOO_LARGE`.
 */
export function validateWeightSpecs(specs: unknown, where: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES, seen = new Set<string>()): { weights: DeclaredWeight[]; bytes: number } {
  if (!Array.isArray(specs)) throw new GraftError('WEIGHTS_MANIFEST_INVALID', `${where} must be an array of { name, shape, dtype }.`);
  const weights = specs.map((w, i): DeclaredWeight => {
    if (!isRecord(w) || typeof w['name'] !== 'string' || typeof w['dtype'] !== 'string' || !Array.isArray(w['shape'])) {
      throw new GraftError('WEIGHTS_MANIFEST_INVALID', `${where}[${i}] must have a name, a shape and a dtype.`);
    }
    if (seen.has(w['name'])) throw new GraftError('WEIGHTS_MANIFEST_INVALID', `Weight "${w['name']}" is declared twice in the manifest.`);
    seen.add(w['name']);
    return w as unknown as DeclaredWeight;
  });
  const bytes = weights.reduce((sum, w) => sum + declaredBytes(w, maxBytes), 0);
  if (bytes > maxBytes) throw new GraftError('WEIGHTS_TOO_LARGE', `The manifest declares over ${maxBytes} bytes of weights; the model file is corrupt or too large to load.`);
  return { weights, bytes };
}

/**
 * Validates the `weightsManifest` of a `model.json` before anything is fetched or allocated: structure, names,
 * dtypes, sizes and paths ({@link checkWeightsPath}). Pure: the same check for files on disk and behind a URL.
 *
 * @throws GraftError `WEIGHTS_MANIFEST_INVALID`, `WEIGHTS_PATH_ESCAPES`, `WEIGHTS_DTYPE_UNSUPPORTED`, `WEIGHTS_TOO_LARGE`.
 */
export function validateManifest(manifest: unknown, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): ManifestGroup[] {
  if (!Array.isArray(manifest)) throw new GraftError('WEIGHTS_MANIFEST_INVALID', 'model.json has no "weightsManifest" array; expected [{ "paths": [...], "weights": [...] }].');
  let total = 0;
  const seen = new Set<string>();
  return manifest.map((group, g) => {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new GraftError('WEIGHTS_MANIFEST_INVALID', `weightsManifest[${g}] must have "paths" and "weights" arrays.`);
    }
    const paths = group['paths'].map((p) => {
      if (typeof p !== 'string') throw new GraftError('WEIGHTS_MANIFEST_INVALID', `weightsManifest[${g}].paths must be strings, found ${JSON.stringify(p)}.`);
      return checkWeightsPath(p);
    });
    const { weights, bytes } = validateWeightSpecs(group['weights'], `weightsManifest[${g}].weights`, maxBytes, seen);
    total += bytes;
    if (total > maxBytes) throw new GraftError('WEIGHTS_TOO_LARGE', `The manifest declares over ${maxBytes} bytes of weights; the model file is corrupt or too large to load.`);
    return { paths, weights, bytes };
  });
}
