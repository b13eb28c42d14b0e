import { GraftError, seededRandom } from '@graft/core';
import type { IndexedSource } from './indexed-source.js';

/** The two parts of {@link validationSplit}. */
export interface ValidationSplit {
  readonly train: IndexedSource;
  readonly validation: IndexedSource;
}

/**
 * Holds out `fraction` of `source` for validation, in a seeded random choice. When the samples have class labels
 * the split is stratified: each class gives `round(fraction × its count)` samples, so both sides keep the class
 * mix. Both parts keep their samples in stored order and share the source's data.
 *
 * @throws GraftError `INVALID_ARGUMENT` when `fraction` is not in (0, 1) or either side would be empty.
 */
export function validationSplit(source: IndexedSource, fraction: number, seed: number): ValidationSplit {
  if (!(Number.isFinite(fraction) && fraction > 0 && fraction < 1)) {
    throw new GraftError('INVALID_ARGUMENT', `A validation split must be a fraction between 0 and 1 (exclusive); got ${fraction}.`);
  }
  const labels = source.sampleLabels();
  const groups = new Map<number, number[]>();
  for (let position = 0; position < source.size; position++) {
    const key = labels === undefined ? 0 : (labels[position] as number);
    const group = groups.get(key) ?? [];
    group.push(position);
    groups.set(key, group);
  }
  const random = seededRandom(seed);
  const held = new Set<number>();
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const group = groups.get(key) as number[];
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j] as number, group[i] as number];
    }
    group.slice(0, Math.round(fraction * group.length)).forEach((position) => held.add(position));
  }
  const all = Array.from({ length: source.size }, (_, i) => i);
  const validation = all.filter((p) => held.has(p));
  const train = all.filter((p) => !held.has(p));
  if (validation.length === 0 || train.length === 0) {
    throw new GraftError(
      'INVALID_ARGUMENT',
      `A validation split of ${fraction} of ${source.size} samples${labels === undefined ? '' : ' (per class)'} leaves ${validation.length === 0 ? 'no validation' : 'no training'} samples; choose a fraction that leaves both sides some.`,
    );
  }
  return { train: source.subset(train), validation: source.subset(validation) };
}
