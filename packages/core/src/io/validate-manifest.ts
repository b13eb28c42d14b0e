import path from 'node:path';
import { GraftError } from '../errors.js';

/** One weight as declared in `model.json`'s `weightsManifest`. */
export interface DeclaredWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string };
}

/** A group of weights and the files (in order) that hold them. */
export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly DeclaredWeight[];
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, int8: 1, int16: 2, float16: 2 };

/** Default ceiling on the declared size of all weights: 4 GiB, beyond what a tfjs-layers model can hold in practice. */
export const DEFAULT_MAX_WEIGHT_BYTES = 4 * 1024 ** 3;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Resolves a weights path from the manifest inside `modelDir`, refusing anything that could leave it.
 * @throws GraftError `WEIGHTS_PATH_ESCAPES`.
 */
export function resolveWeightsPath(modelDir: string, declared: string): string {
  const bad = declared.length === 0 || path.isAbsolute(declared) || /^[a-zA-Z]:/.test(declared) || declared.includes('\0') || declared.split(/[\\/]/).includes('..') || /^[a-z]+:\/\//i.test(declared);
  const resolved = path.resolve(modelDir, declared);
  const root = path.resolve(modelDir);
  if (bad || (resolved !== root && !resolved.startsWith(root + path.sep))) {
    throw new GraftError('WEIGHTS_PATH_ESCAPES', `Weights path "${declared}" leaves the model folder; expected a relative file name inside ${root}.`);
  }
  return resolved;
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
 * Validates the `weightsManifest` of a `model.json` before anything is allocated: structure, names, dtypes, sizes
 * and paths. Returns the groups with their files resolved inside `modelDir` and their expected byte lengths.
 *
 * @throws GraftError `WEIGHTS_MANIFEST_INVALID`, `WEIGHTS_PATH_ESCAPES`, `WEIGHTS_DTYPE_UNSUPPORTED`, `WEIGHTS_TOO_LARGE`.
 */
export function validateManifest(manifest: unknown, modelDir: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): { files: string[]; bytes: number; weights: DeclaredWeight[] }[] {
  if (!Array.isArray(manifest)) throw new GraftError('WEIGHTS_MANIFEST_INVALID', 'model.json has no "weightsManifest" array; expected [{ "paths": [...], "weights": [...] }].');
  let total = 0;
  const names = new Set<string>();
  return manifest.map((group, g) => {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new GraftError('WEIGHTS_MANIFEST_INVALID', `weightsManifest[${g}] must have "paths" and "weights" arrays.`);
    }
    const files = group['paths'].map((p) => {
      if (typeof p !== 'string') throw new GraftError('WEIGHTS_MANIFEST_INVALID', `weightsManifest[${g}].paths must be strings, found ${JSON.stringify(p)}.`);
      return resolveWeightsPath(modelDir, p);
    });
    const weights = group['weights'].map((w, i): DeclaredWeight => {
      if (!isRecord(w) || typeof w['name'] !== 'string' || typeof w['dtype'] !== 'string' || !Array.isArray(w['shape'])) {
        throw new GraftError('WEIGHTS_MANIFEST_INVALID', `weightsManifest[${g}].weights[${i}] must have a name, a shape and a dtype.`);
      }
      if (names.has(w['name'])) throw new GraftError('WEIGHTS_MANIFEST_INVALID', `Weight "${w['name']}" is declared twice in the manifest.`);
      names.add(w['name']);
      return w as unknown as DeclaredWeight;
    });
    const bytes = weights.reduce((sum, w) => sum + declaredBytes(w, maxBytes), 0);
    total += bytes;
    if (total > maxBytes) throw new GraftError('WEIGHTS_TOO_LARGE', `The manifest declares over ${maxBytes} bytes of weights; the model file is corrupt or too large to load.`);
    return { files, bytes, weights };
  });
}
