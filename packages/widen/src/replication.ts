import { seededRandom } from '@graft/core';

/**
 * Where each index of a widened last axis takes its value from: new index k copies old index `sources[k]`, and
 * `counts[k]` is how many new indices copy that same old index (what a consumer divides by).
 */
export interface Replication {
  readonly sources: Int32Array;
  readonly counts: Int32Array;
  /** Length of the old axis (`sources` indexes into it). */
  readonly oldSize: number;
}

/**
 * Net2WiderNet's mapping g for widening n units to m: g(j) = j for j < n, and a seeded uniform choice among the n
 * old units for j ≥ n; counts c(g(j)) = how many j share that g(j).
 */
export function replicationMapping(n: number, m: number, random: () => number): Replication {
  const sources = new Int32Array(m);
  for (let j = 0; j < m; j++) sources[j] = j < n ? j : Math.min(n - 1, Math.floor(random() * n));
  const perUnit = new Int32Array(n);
  for (const source of sources) perUnit[source]! += 1;
  return { sources, counts: sources.map((source) => perUnit[source]!), oldSize: n };
}

/**
 * The mapping after a channels-last Flatten: index s·n + i of the old flattened axis becomes s·m + j of the new one,
 * for each of the `spatial` positions s (the product of the dimensions before the channel axis).
 */
/**
 * The mapping that copies every old unit equally often: new index j copies old index j mod n, so each of the n units
 * appears m / n times. Needed where a LayerNormalization reads the units: its mean and variance over a uniformly
 * replicated axis are those of the original.
 * @throws RangeError when m is not a multiple of n.
 */
export function uniformReplication(n: number, m: number): Replication {
  if (m % n !== 0) throw new RangeError(`uniformReplication: ${m} is not a multiple of ${n}.`);
  const sources = new Int32Array(m).map((_, j) => j % n);
  return { sources, counts: new Int32Array(m).fill(m / n), oldSize: n };
}

export function flattenReplication(replication: Replication, spatial: number): Replication {
  if (spatial === 1) return replication;
  const m = replication.sources.length;
  const sources = new Int32Array(spatial * m);
  const counts = new Int32Array(spatial * m);
  for (let s = 0; s < spatial; s++) {
    for (let j = 0; j < m; j++) {
      sources[s * m + j] = s * replication.oldSize + replication.sources[j]!;
      counts[s * m + j] = replication.counts[j]!;
    }
  }
  return { sources, counts, oldSize: spatial * replication.oldSize };
}

/**
 * Gathers `values` (row-major, of `shape`) along `axis` by `replication`: slice k of the result is slice
 * `sources[k]` of the input, divided by `counts[k]` when `divide` is set.
 *
 * @returns the new values and shape (`shape[axis]` becomes `sources.length`).
 */
export function gatherAxis(
  values: Float32Array,
  shape: readonly number[],
  axis: number,
  replication: Replication,
  divide: boolean,
): { values: Float32Array; shape: number[] } {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const oldSize = shape[axis]!;
  const { sources, counts } = replication;
  const newSize = sources.length;
  const out = new Float32Array(outer * newSize * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < newSize; k++) {
      const from = (o * oldSize + sources[k]!) * inner;
      const to = (o * newSize + k) * inner;
      // Dividing by a count of 1 leaves the copy bit for bit equal, so units nobody replicated stay untouched.
      const count = divide ? counts[k]! : 1;
      for (let i = 0; i < inner; i++) out[to + i] = values[from + i]! / count;
    }
  }
  const newShape = [...shape];
  newShape[axis] = newSize;
  return { values: out, shape: newShape };
}

/**
 * Multiplies every value whose last-axis index is ≥ `firstNew` by (1 + noise · u), u uniform in [-1, 1), so the
 * replicas stop being exact copies of their originals; |change| ≤ noise · |value|.
 */
export function perturbNewUnits(values: Float32Array, lastAxis: number, firstNew: number, noise: number, seed: number): Float32Array {
  if (noise === 0) return values;
  const random = seededRandom(seed);
  const out = Float32Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (i % lastAxis >= firstNew) out[i] = out[i]! * (1 + noise * (2 * random() - 1));
  }
  return out;
}
