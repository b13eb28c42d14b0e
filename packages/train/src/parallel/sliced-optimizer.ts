import * as tf from '@tensorflow/tfjs';
import { optimizerState, restoreOptimizerState } from '../optimizer.js';
import type { Layout } from './layout.js';
import { makeOptimizerFromRecipe } from './optimizer-recipe.js';
import { fromPayload, toPayload, type NamedPayload } from './payload.js';
import type { OptimizerRecipe } from './protocol.js';
import { copyValuesInto, tensorOf } from './storage.js';

/**
 * An optimizer's state as tfjs lays it out, with the weights its per-variable entries belong to: what travels
 * between the pool and its replicas, and what a checkpoint stores.
 */
export interface FullOptimizerState {
  /**
   * The iteration count first, then the per-variable entries group by group over `owners` (Adam: every first
   * moment, then every second moment), then graft's `graft:`-named scalars (Adam's β powers).
   */
  readonly weights: readonly NamedPayload[];
  /** The weights (model.json names) the per-variable entries belong to, in order; empty before the first step. */
  readonly owners: readonly string[];
}

/** Where one replica's part of a variable lies: elements `[from, to)` of gradient slot `slot`. */
export interface SegmentPlace {
  readonly slot: number;
  readonly from: number;
  readonly to: number;
}

/** One replica's part of the optimizer state, for the pool to assemble into a {@link FullOptimizerState}. */
export interface SliceState {
  /** The iteration count, then `graft:` scalars: the same in every replica. */
  readonly scalars: readonly NamedPayload[];
  readonly segments: readonly SegmentPlace[];
  /** Per-segment entries, group by group over `segments`. */
  readonly entries: readonly NamedPayload[];
}

/** A slice variable and where it lies. */
interface Segment extends SegmentPlace {
  readonly variable: tf.Variable;
  /** Where the segment starts in the layout's region. */
  readonly at: number;
}

let sliceCounter = 0;

/**
 * The optimizer of one replica's share of the parameters. tfjs' optimizers update every element independently
 * (Adam, SGD, RMSProp, Momentum, Adagrad, Adadelta, Adamax), so updating contiguous slices of the flattened
 * variables gives the same bits as updating whole variables, and each replica has to update only 1/N of them.
 * The replica's share is its reduction range: it averages those gradient elements itself, applies them to its
 * slice variables at once, and writes the new values back over the average for everyone to copy.
 */
export class SlicedOptimizer {
  private constructor(
    private readonly optimizer: tf.Optimizer,
    private readonly segments: ReadonlyArray<Segment>,
  ) {}

  /**
   * Slices the gradient part of `layout` that falls in `[start, end)` and takes over the matching part of `state`.
   * `values(slot)` gives slot's current weight values (flattened); new variables get the optimizer's initial state.
   */
  static async create(
    recipe: OptimizerRecipe,
    layout: Layout,
    [start, end]: readonly [number, number],
    state: FullOptimizerState,
    values: (slot: number) => Float32Array,
  ): Promise<SlicedOptimizer> {
    const segments = layout.gradients.flatMap((slot, index) => {
      const from = Math.max(start, slot.offset) - slot.offset;
      const to = Math.min(end, slot.offset + slot.size) - slot.offset;
      if (to <= from) return [];
      const variable = tf.variable(tf.tensor1d(values(index).slice(from, to)), true, `graft_slice_${sliceCounter++}`);
      return [{ slot: index, from, to, variable, at: slot.offset + from }];
    });
    const optimizer = makeOptimizerFromRecipe(recipe);
    const [iterations, ...rest] = state.weights;
    const scalars = rest.filter((w) => w.name.startsWith('graft:'));
    const entries = rest.filter((w) => !w.name.startsWith('graft:'));
    const owners = state.owners;
    const groups = owners.length === 0 ? 0 : entries.length / owners.length;
    const initial = recipe.className === 'Adagrad' ? Number(recipe.config['initialAccumulatorValue'] ?? 0.1) : 0;
    const sliced: NamedPayload[] = [];
    for (let group = 0; group < groups; group++) {
      for (const segment of segments) {
        const owner = owners.indexOf((layout.gradients[segment.slot] as { name: string }).name);
        const data = owner < 0 ? new Float32Array(segment.to - segment.from).fill(initial) : (entries[group * owners.length + owner] as NamedPayload).data.slice(segment.from, segment.to);
        sliced.push({ name: `${segment.variable.name}/${group}`, shape: [segment.to - segment.from], dtype: 'float32', data });
      }
    }
    const restored = [...(iterations === undefined ? [] : [iterations]), ...sliced, ...scalars].map((w) => ({ name: w.name, tensor: fromPayload(w) }));
    try {
      await restoreOptimizerState(optimizer, restored, 'the replica pool');
    } finally {
      tf.dispose(restored.map((w) => w.tensor));
    }
    return new SlicedOptimizer(optimizer, segments);
  }

  /** Applies the averaged gradient in `average` to this share and overwrites that part of `average` with the new weights. */
  apply(average: Float32Array): void {
    if (this.segments.length === 0) return;
    tf.tidy(() => {
      const gradients = this.segments.map(({ variable, at, from, to }) => ({ name: variable.name, tensor: tensorOf(average.subarray(at, at + to - from), [to - from]) }));
      this.optimizer.applyGradients(gradients);
    });
    for (const { variable, at } of this.segments) copyValuesInto(variable, average, at);
  }

  /** This share's optimizer state. */
  async exportState(): Promise<SliceState> {
    const weights = await optimizerState(this.optimizer);
    const payloads = weights.map(({ name, tensor }): NamedPayload => ({ name, ...toPayload(tensor) }));
    tf.dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
    const [iterations, ...rest] = payloads;
    return {
      scalars: [...(iterations === undefined ? [] : [iterations]), ...rest.filter((w) => w.name.startsWith('graft:'))],
      segments: this.segments.map(({ slot, from, to }) => ({ slot, from, to })),
      entries: rest.filter((w) => !w.name.startsWith('graft:')),
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    tf.dispose(this.segments.map((segment) => segment.variable));
  }
}

/**
 * Puts the replicas' shares back together: every per-variable entry whole again, in tfjs' layout over
 * `weightNames` (shapes from `shapes`), so a checkpoint or another worker count can continue from it.
 */
export function assembleState(slices: readonly SliceState[], weightNames: readonly string[], shapes: ReadonlyMap<string, readonly number[]>): FullOptimizerState {
  const first = slices[0];
  if (first === undefined) return { weights: [], owners: [] };
  const [iterations, ...scalars] = first.scalars;
  const withSegments = slices.filter((slice) => slice.segments.length > 0);
  const groups = withSegments.length === 0 ? 0 : (withSegments[0] as SliceState).entries.length / (withSegments[0] as SliceState).segments.length;
  const entries: NamedPayload[] = [];
  for (let group = 0; group < groups; group++) {
    weightNames.forEach((name, slot) => {
      const shape = shapes.get(name) ?? [];
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (const slice of withSegments) {
        slice.segments.forEach((segment, k) => {
          if (segment.slot === slot) data.set((slice.entries[group * slice.segments.length + k] as NamedPayload).data, segment.from);
        });
      }
      entries.push({ name: `${name}/${group}`, shape, dtype: 'float32', data });
    });
  }
  return { weights: [...(iterations === undefined ? [] : [iterations]), ...entries, ...scalars], owners: groups === 0 ? [] : [...weightNames] };
}
