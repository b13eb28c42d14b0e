import { validationSplit, type IndexedSource } from '@graft/datasets';
import type { DataRequest } from './data-source.js';

/** `--validation-split` when none is given. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/**
 * The train/test pair of a user's data: `--limit` samples (every class in turn), then a seeded (stratified, for classes)
 * validation split — or, for evaluation, all of it.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the split leaves either side empty.
 */
export function holdOut(source: IndexedSource, request: DataRequest): { train: IndexedSource; test?: IndexedSource } {
  const data = request.limit === undefined ? source : limited(source, request.limit);
  if (request.purpose === 'evaluate') return { train: data };
  const fraction = request.validationSplit ?? DEFAULT_VALIDATION_SPLIT;
  if (fraction === 0) return { train: data };
  const { train, validation } = validationSplit(data, fraction, request.seed);
  return { train, test: validation };
}

/**
 * `limit` samples of `source`: the first ones, or, when the samples have classes (image folders list them class
 * by class), the first ones of each class in turn, so a limited run still sees every class.
 */
function limited(source: IndexedSource, limit: number): IndexedSource {
  const labels = source.sampleLabels();
  if (labels === undefined) return source.take(limit);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, position) => {
    const queue = byClass.get(label) ?? [];
    queue.push(position);
    byClass.set(label, queue);
  });
  const queues = [...byClass.keys()].sort((a, b) => a - b).map((label) => byClass.get(label) as number[]);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < Math.min(limit, source.size); round++) {
    for (const queue of queues) if (round < queue.length && chosen.length < limit) chosen.push(queue[round] as number);
  }
  return source.subset(chosen.sort((a, b) => a - b));
}
