import * as tf from '@tensorflow/tfjs';
import { findSites, toGraph } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { addHeads } from './add-heads.js';
import { ADD_HEADS_SITES } from './test-support/stated-sites.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(Object.entries(ADD_HEADS_SITES))('add-heads on %s', (name, stated) => {
  it('offers exactly the stated sites and refuses the stated layers with their reasons', () => {
    const model = getFixture(name).build();
    const graph = toGraph(model);
    expect(findSites(graph, addHeads())).toEqual(stated.offers);
    for (const [layer, words] of Object.entries(stated.refuses)) expect(addHeads().explain?.(graph, layer)).toContain(words);
    model.dispose();
  });
});
