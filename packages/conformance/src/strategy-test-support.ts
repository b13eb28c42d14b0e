// `@graft/conformance/testing`: helpers for a strategy package's own vitest tests (options and refusals its conformance
// calls do not state). Imports vitest statically, so it stays out of the main entry, which must load without vitest.
import * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, grow, isGraftError, type GraftErrorCode, type StrategyOptions, type SurgeryStrategy } from '@graft/core';
import { getFixture, maxAbsDiff, predictAll, randomInputs, type Fixture } from '@graft/fixtures';
import { afterAll, beforeAll, expect } from 'vitest';

/** Seeded random inputs of a fixture: how many, and the seed (`randomInputs` of `@graft/fixtures`). */
export interface InputOptions {
  /** Number of samples. Default 8. */
  readonly batch?: number;
  /** Seed of the random values. Default 1. */
  readonly seed?: number;
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

/** A fixture's model and its random inputs, shared by the tests of one `describe` block. */
export interface SharedFixture {
  readonly model: tf.LayersModel;
  readonly inputs: tf.Tensor[];
}

/**
 * Builds fixture `name`'s model (weights seed 1) and its seeded random inputs in `beforeAll` of the calling `describe`
 * block, and disposes both in its `afterAll`. Read `model` and `inputs` inside the tests only.
 */
export function useFixture(name: string, { batch = 8, seed = 1 }: InputOptions = {}): SharedFixture {
  let built: SharedFixture | undefined;
  beforeAll(() => {
    const fixture = getFixture(name);
    built = { model: fixture.build(1), inputs: randomInputs(fixture, batch, seed) };
  });
  afterAll(() => {
    if (built !== undefined) disposeModel(built.model);
    tf.dispose(built?.inputs);
    built = undefined;
  });
  const current = (): SharedFixture => {
    if (built === undefined) throw new Error(`useFixture("${name}"): the model exists only while the tests of the calling describe block run.`);
    return built;
  };
  return {
    get model() {
      return current().model;
    },
    get inputs() {
      return current().inputs;
    },
  };
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

/** Builds fixture `name`'s model (weights seed 1), grows it with `strategy` after `after`, and makes its random inputs. */
export async function growFixture(
  name: string,
  strategy: SurgeryStrategy,
  after: string,
  { batch = 8, seed = 1, options }: InputOptions & { readonly options?: StrategyOptions } = {},
): Promise<GrownFixture> {
  const fixture = getFixture(name);
  const source = fixture.build(1);
  const inputs = randomInputs(fixture, batch, seed);
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
