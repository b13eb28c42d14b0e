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
  const used = weights.flatMap((weight, index) => (weight === 0 ? [] : [index]));
  const offsets = Int32Array.from(used, (index) => index * stride);
  const factors = Float64Array.from(used, (index) => weights[index] as number);
  // One pass, each element summed in a register: the regions were just written by other threads' cores, so reading
  // them once and writing nothing else between costs less than replica-by-replica passes over a scratch buffer.
  for (let j = start; j < end; j++) {
    let sum = 0;
    for (let k = 0; k < offsets.length; k++) sum += (factors[k] as number) * (regions[(offsets[k] as number) + j] as number);
    average[j] = sum;
  }
}
