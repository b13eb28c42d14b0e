import * as tf from '@tensorflow/tfjs';
import { randomInputs } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FixtureUnderTest, useFixture } from './testing.js';

// The blocks run in order: the set-up is read while the tests are collected, inside its block, and after its
// block's `afterAll`, which must have disposed every tensor the set-up made.
const outside = /"gpt-1-block-1-head" is built only while its tests run/;
let tensorsBefore = -1;
let gpt: FixtureUnderTest | undefined;
let readWhileCollecting = '';

beforeAll(() => {
  tensorsBefore = tf.memory().numTensors;
});

describe('useFixture', () => {
  gpt = useFixture('gpt-1-block-1-head', { samples: 3, seed: 2 });
  try {
    readWhileCollecting = gpt.model.name;
  } catch (error) {
    readWhileCollecting = (error as Error).message;
  }

  it('builds the fixture on cpu with its seeded random inputs, readable inside a test', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(gpt!.fixture.name).toBe('gpt-1-block-1-head');
    expect(gpt!.model.inputs.length).toBe(gpt!.inputs.length);
    const expected = randomInputs(gpt!.fixture, 3, 2);
    expect(gpt!.inputs.map((x) => x.arraySync())).toEqual(expected.map((x) => x.arraySync()));
    expect(gpt!.inputs[0]!.shape[0]).toBe(3);
    tf.dispose(expected);
  });

  it('throws when read before its beforeAll (while the tests are collected)', () => {
    expect(readWhileCollecting).toMatch(outside);
  });
});

it('disposes the model and inputs after its block, and then throws when read', () => {
  expect(tensorsBefore).toBeGreaterThanOrEqual(0);
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(() => gpt!.model).toThrow(outside);
  expect(() => gpt!.inputs).toThrow(outside);
});

it('refuses an unknown fixture name, listing the names', () => {
  expect(() => useFixture('no-such-fixture', { samples: 1, seed: 1 })).toThrow(/No fixture named "no-such-fixture"\. Expected one of: .*gpt-1-block-1-head/);
});
