import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '@graft/core';
import { type Fixture, getFixture, randomInputs } from '@graft/fixtures';
// A static import, unlike the main entry's: this entry is only for test files, which run inside vitest.
import { afterAll, beforeAll } from 'vitest';

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
