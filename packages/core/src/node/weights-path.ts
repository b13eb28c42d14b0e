import path from 'node:path';
import { GraftError } from '../errors.js';
import { checkWeightsPath } from '../io/validate-manifest.js';

/**
 * Resolves a weights path from the manifest inside `modelDir`, refusing anything that could leave it: the pure
 * {@link checkWeightsPath} rules, then a check that the resolved file lies under `modelDir`.
 * @throws GraftError `WEIGHTS_PATH_ESCAPES`.
 */
export function resolveWeightsPath(modelDir: string, declared: string): string {
  const root = path.resolve(modelDir);
  const escapes = () => new GraftError('WEIGHTS_PATH_ESCAPES', `Weights path "${declared}" leaves the model folder; expected a relative file name inside ${root}.`);
  try {
    checkWeightsPath(declared);
  } catch {
    throw escapes();
  }
  const resolved = path.resolve(root, declared);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) throw escapes();
  return resolved;
}
