import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromTensors } from '@graft/datasets';
import type { DataRequest } from './data-source.js';
import { holdOut } from './held-out.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Ten samples of class 0, then ten of class 1, then ten of class 2: an image folder's order.
const source = fromTensors(tf.range(0, 30).reshape([30, 1]), tf.tensor1d(Array.from({ length: 30 }, (_, i) => Math.floor(i / 10)), 'int32'));
const request = (changes: Partial<DataRequest>): DataRequest => ({
  source: 'x',
  stat: undefined,
  model: tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 3 })] }),
  label: undefined,
  validationSplit: undefined,
  seed: 0,
  limit: undefined,
  purpose: 'train',
  ...changes,
});

describe('holdOut', () => {
  it('holds out 10% per class by default, and nothing for evaluation or a split of 0', () => {
    const { train, test } = holdOut(source, request({}));
    expect(Array.from(test?.sampleLabels() ?? [])).toEqual([0, 1, 2]);
    expect(train.size).toBe(27);
    expect(holdOut(source, request({ purpose: 'evaluate' })).test).toBeUndefined();
    expect(holdOut(source, request({ validationSplit: 0 })).train.size).toBe(30);
  });

  it('limits to the first samples of every class in turn, so a limited run sees every class', () => {
    const { train, test } = holdOut(source, request({ limit: 6, validationSplit: 0.5 }));
    expect(Array.from(train.indices).concat(Array.from(test?.indices ?? [])).sort((a, b) => a - b)).toEqual([0, 1, 10, 11, 20, 21]);
    expect(Array.from(test?.sampleLabels() ?? [])).toEqual([0, 1, 2]);
  });
});
