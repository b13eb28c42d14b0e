import * as tf from '@tensorflow/tfjs';
import { sitesOn } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { addHeads } from './add-heads.js';
import { ADD_HEADS_SITES } from './test-support/stated-sites.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(Object.entries(ADD_HEADS_SITES))('add-heads on %s', (name, stated) => {
  it('offers exactly the stated sites and refuses the stated layers with their reasons', () => {
    const { offers, reasons } = sitesOn(name, addHeads(), Object.keys(stated.refuses));
    expect(offers).toEqual(stated.offers);
    for (const [layer, words] of Object.entries(stated.refuses)) expect(reasons[layer]).toContain(words);
  });
});
