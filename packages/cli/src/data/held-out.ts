import { validationSplit, type IndexedSource } from '@graft/datasets';
import type { DataRequest } from './data-source.js';

/** `--validation-split` when none is given. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/**
 * The train/test pair of a user's data: the first `--limit` samples, then a seeded (stratified, for classes)
 * validation split — or, for evaluation, all of it.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the split leaves either side empty.
 */
export function holdOut(source: IndexedSource, request: DataRequest): { train: IndexedSource; test?: IndexedSource } {
  const data = request.limit === undefined ? source : source.take(request.limit);
  if (request.purpose === 'evaluate') return { train: data };
  const fraction = request.validationSplit ?? DEFAULT_VALIDATION_SPLIT;
  if (fraction === 0) return { train: data };
  const { train, validation } = validationSplit(data, fraction, request.seed);
  return { train, test: validation };
}
