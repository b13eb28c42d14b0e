/**
 * Where each replica writes what it averages, in one flat float32 region per replica: first the gradient of every
 * variable the epoch trains (in the optimizer's order), then the state weights those layers update in the forward
 * pass (BatchNormalization's moving mean and variance). Every replica derives the same layout from the same names,
 * so nothing about it travels between threads.
 */

/** One tensor's place in a replica's region. */
export interface Slot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/** The layout of one epoch. */
export interface Layout {
  readonly gradients: readonly Slot[];
  readonly state: readonly Slot[];
  /** Floats used per replica. */
  readonly length: number;
}

/** Lays out `gradients` then `state`, each a list of names with shapes, back to back. */
export function layoutOf(gradients: ReadonlyArray<readonly [string, readonly number[]]>, state: ReadonlyArray<readonly [string, readonly number[]]>): Layout {
  let offset = 0;
  const place = ([name, shape]: readonly [string, readonly number[]]): Slot => {
    const size = shape.reduce((a, b) => a * b, 1);
    const slot = { name, shape, offset, size };
    offset += size;
    return slot;
  };
  const placedGradients = gradients.map(place);
  const placedState = state.map(place);
  return { gradients: placedGradients, state: placedState, length: offset };
}

/**
 * Shard sizes of a batch of `rows` split across `parties` replicas: contiguous, in order, the first `rows % parties`
 * shards one row longer. Fixed by `rows` and `parties` alone, so a run is reproducible for a given worker count.
 */
export function shardSizes(rows: number, parties: number): number[] {
  const base = Math.floor(rows / parties);
  const extra = rows % parties;
  return Array.from({ length: parties }, (_, index) => base + (index < extra ? 1 : 0));
}

/** The element range `[start, end)` of a `length`-float region that replica `index` of `parties` reduces. */
export function reductionRange(length: number, index: number, parties: number): readonly [number, number] {
  return [Math.floor((index * length) / parties), Math.floor(((index + 1) * length) / parties)];
}

/**
 * Writes `average[j] = Σ_i weights[i] · regions[i][j]` for `j` in `[start, end)`, summing replicas in index order in
 * double precision and rounding once to float32. Replicas of weight 0 (an empty shard) are skipped, so whatever
 * stale values their regions hold never reach the average. Each element is written by exactly one replica, so every
 * replica later reads the very same bits.
 *
 * @param regions the shared buffer holding every replica's region, `stride` floats apart.
 */
export function reduceRange(regions: Float32Array, stride: number, weights: readonly number[], average: Float32Array, start: number, end: number): void {
  const length = end - start;
  if (length <= 0) return;
  const regionOf = (index: number): Float32Array => regions.subarray(index * stride + start, index * stride + end);
  const terms = weights.flatMap((weight, index) => (weight === 0 ? [] : [{ weight, values: regionOf(index) }]));
  // An odd count is padded with 0 · 0, which leaves every running sum as it was (a sum from +0 is never -0).
  if (sums.length < length) [sums, zeros] = [new Float64Array(length), new Float32Array(length)];
  while (terms.length === 0 || terms.length % 2 === 1) terms.push({ weight: 0, values: zeros });
  const out = average.subarray(start, end);
  // Two replicas per pass, each element's running sum in a register: a loop over replicas inside the element loop
  // runs ~3x slower, and a pass per replica over a double buffer ~2x.
  for (let pair = 0; pair < terms.length; pair += 2) {
    const { weight: wa, values: a } = terms[pair] as { weight: number; values: Float32Array };
    const { weight: wb, values: b } = terms[pair + 1] as { weight: number; values: Float32Array };
    const target = pair + 2 >= terms.length ? out : sums;
    if (pair === 0) for (let j = 0; j < length; j++) target[j] = 0 + wa * (a[j] as number) + wb * (b[j] as number);
    else for (let j = 0; j < length; j++) target[j] = (sums[j] as number) + wa * (a[j] as number) + wb * (b[j] as number);
  }
}

/** {@link reduceRange}'s double-precision running sums past its first pair of replicas, and its padding (per thread). */
let sums = new Float64Array(0);
let zeros = new Float32Array(0);
