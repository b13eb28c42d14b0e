import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { getFixture, randomInputs } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearIdentity, lyingScale } from './sample-strategies.test-support.js';
import { DENSE_CHAINS, statedForEach } from './stated-sites.js';
import { expectExactAtEverySite, expectRefusal, type FixtureUnderTest, growFixture, maxPredictionDiff, useFixture } from './testing.js';

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

describe('expectExactAtEverySite', () => {
  it('passes an exact strategy at every site, leaving no tensor behind', async () => {
    const tensors = tf.memory().numTensors;
    await expectExactAtEverySite(getFixture('shared-layer'), { identity: linearIdentity() });
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('FAILS a strategy that changes the predictions, naming the variant and the site', async () => {
    await expect(expectExactAtEverySite(getFixture('dense-chain-linear'), { identity: linearIdentity(), doubling: lyingScale() })).rejects.toMatchObject({
      actual: { variant: 'doubling', after: 'dense_1', diff: expect.any(Number) as number },
    });
  });
});

describe('expectRefusal', () => {
  const refuse = (): never => {
    throw new GraftError('NOT_EXACT', 'output of tanh can be negative');
  };

  it('passes a GraftError with the code and words, thrown or rejected', async () => {
    await expectRefusal(refuse, 'NOT_EXACT', /tanh can be negative/);
    await expectRefusal(() => Promise.reject(new GraftError('NOT_EXACT', 'output of tanh can be negative')), 'NOT_EXACT', /tanh/);
  });

  it('FAILS another code, other words, a plain Error, and an action that returns', async () => {
    await expect(expectRefusal(refuse, 'SITE_NOT_OFFERED', /tanh/)).rejects.toThrow();
    await expect(expectRefusal(refuse, 'NOT_EXACT', /sigmoid/)).rejects.toThrow();
    await expect(expectRefusal(() => { throw new Error('output of tanh can be negative'); }, 'NOT_EXACT', /tanh/)).rejects.toThrow();
    await expect(expectRefusal(() => 1, 'NOT_EXACT', /tanh/)).rejects.toThrow('expected a GraftError NOT_EXACT');
  });
});

describe('growFixture and maxPredictionDiff', () => {
  it('grows the fixture, measures the difference, and disposes all it made (shared layers too)', async () => {
    const tensors = tf.memory().numTensors;
    const exact = await growFixture('shared-layer', linearIdentity(), 'dense_3');
    expect(exact.added).toEqual(['dense_3_identity']);
    expect(maxPredictionDiff(exact.source, exact.grown, exact.inputs)).toBe(0);
    exact.dispose();
    const doubled = await growFixture('dense-chain-linear', lyingScale(), 'dense_3', { samples: 2, seed: 4 });
    expect(doubled.inputs[0]!.shape).toEqual([2, 6]);
    expect(maxPredictionDiff(doubled.source, doubled.grown, doubled.inputs)).toBeGreaterThan(0);
    doubled.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('statedForEach', () => {
  it('states the same sites for each named fixture; DENSE_CHAINS names the five dense chains', () => {
    const sites = { offers: ['dense_1'], refuses: { dense_1_input: 'is a model input' } };
    expect(DENSE_CHAINS).toEqual(['dense-chain-relu', 'dense-chain-tanh', 'dense-chain-sigmoid', 'dense-chain-linear', 'dense-chain-softmax']);
    expect(statedForEach(['dense-chain-relu', 'conv-valid-strides'], sites)).toEqual({ 'dense-chain-relu': sites, 'conv-valid-strides': sites });
  });
});
