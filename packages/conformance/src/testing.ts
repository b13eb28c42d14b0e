import * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, grow, isGraftError, type GraftErrorCode, type StrategyOptions, type SurgeryStrategy } from '@graft/core';
import { type Fixture, getFixture, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
// A static import, unlike the main entry's: this entry is only for test files, which run inside vitest.
import { afterAll, beforeAll, expect } from 'vitest';

/** A fixture's model and seeded inputs, shared by the tests of one file or `describe` block. */
export interface FixtureUnderTest {
  readonly fixture: Fixture;
  /** The fixture's model, built before the tests. */
  readonly model: tf.LayersModel;
  /** The seeded random inputs of the model (`randomInputs`). */
  readonly inputs: tf.Tensor[];
}

/** How many random inputs {@link useFixture} makes, and their seed. */
export interface FixtureInputs {
  readonly samples: number;
  readonly seed: number;
}

/**
 * The set-up of a strategy's own tests on one fixture: in a `beforeAll` of the calling file (or `describe` block),
 * puts tfjs on the cpu backend, builds the fixture's model and `samples` random inputs seeded by `seed`; in an
 * `afterAll`, disposes them (the model with `disposeModel`, so shared layers do not leak).
 *
 * ```ts
 * const gpt = useFixture('gpt-2-blocks-4-heads', { samples: 6, seed: 3 });
 * it('offers the projections', () => expect(findSites(gpt.model, addHeads())).toEqual([…]));
 * ```
 *
 * @throws Error for an unknown fixture name (listing the names); reading `model` or `inputs` outside the tests
 *   and hooks (before the `beforeAll` or after the `afterAll`) throws an Error too.
 */
export function useFixture(name: string, { samples, seed }: FixtureInputs): FixtureUnderTest {
  const fixture = getFixture(name);
  let built: { readonly model: tf.LayersModel; readonly inputs: tf.Tensor[] } | undefined;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    built = { model: fixture.build(), inputs: randomInputs(fixture, samples, seed) };
  });
  afterAll(() => {
    if (built === undefined) return;
    disposeModel(built.model);
    tf.dispose(built.inputs);
    built = undefined;
  });
  const current = (): NonNullable<typeof built> => {
    if (built === undefined) throw new Error(`The fixture "${name}" is built only while its tests run (in their beforeAll); read its model and inputs inside a test.`);
    return built;
  };
  return {
    fixture,
    get model() {
      return current().model;
    },
    get inputs() {
      return current().inputs;
    },
  };
}

/** Largest absolute difference between two models' predictions, over every output (Infinity if shapes differ). */
export function maxPredictionDiff(a: tf.LayersModel, b: tf.LayersModel, inputs: readonly tf.Tensor[]): number {
  return maxAbsDiff(predictAll(a, inputs), predictAll(b, inputs));
}

/**
 * Expects `action` (sync or async) to throw a `GraftError` with `code` and a message matching `message`.
 * @throws Error when `action` returns instead (the refusal being tested did not happen).
 */
export async function expectRefusal(action: () => unknown, code: GraftErrorCode, message: RegExp): Promise<void> {
  try {
    await action();
  } catch (error) {
    expect(isGraftError(error, code), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a GraftError ${code}`);
}

/** A fixture's source model, its seeded random inputs, and a model grown from it: what {@link growFixture} returns. */
export interface GrownFixture {
  readonly source: tf.LayersModel;
  readonly grown: tf.LayersModel;
  readonly added: string[];
  readonly inputs: tf.Tensor[];
  /** Disposes the source and grown models (shared layers' weights too) and the inputs; safe to destructure. */
  readonly dispose: () => void;
}

/**
 * Builds fixture `name`'s model (weights seed 1), grows it with `strategy` after `after`, and makes its random inputs
 * (8 seeded by 1 unless given).
 * @throws Error for an unknown fixture name; the `GraftError` of `grow` where the strategy refuses the site.
 */
export async function growFixture(
  name: string,
  strategy: SurgeryStrategy,
  after: string,
  { samples = 8, seed = 1, options }: Partial<FixtureInputs> & { readonly options?: StrategyOptions } = {},
): Promise<GrownFixture> {
  const fixture = getFixture(name);
  const source = fixture.build(1);
  const inputs = randomInputs(fixture, samples, seed);
  const { model: grown, added } = await grow(source, strategy, { after }, options);
  return { source, grown, added, inputs, dispose: () => { disposeModel(source); disposeModel(grown); tf.dispose(inputs); } };
}

/**
 * Grows `fixture`'s model at every site each strategy offers and expects bit-for-bit the same predictions (on 2
 * random inputs), the source model's weights untouched, and no tensor left behind. `strategies` names each variant
 * (a gate, an activation), so a failure says which one and where.
 */
export async function expectExactAtEverySite(fixture: Fixture, strategies: Readonly<Record<string, SurgeryStrategy>>): Promise<void> {
  const model = fixture.build();
  const inputs = randomInputs(fixture, 2, 13);
  try {
    const before = predictAll(model, inputs);
    const weightsBefore = model.getWeights().map((w) => Array.from(w.dataSync()));
    const tensorsBefore = tf.memory().numTensors;
    for (const [variant, strategy] of Object.entries(strategies)) {
      for (const after of findSites(model, strategy)) {
        const { model: grown } = await grow(model, strategy, { after });
        const diff = maxAbsDiff(before, predictAll(grown, inputs));
        disposeModel(grown);
        expect({ variant, after, diff }).toEqual({ variant, after, diff: 0 });
      }
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsBefore);
  } finally {
    disposeModel(model);
    tf.dispose(inputs);
  }
}
