import * as tf from '@tensorflow/tfjs';
import { findSites, toGraph } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockCopy } from './block-copy.js';
import { BLOCK_COPY_SITES } from './test-support/stated-sites.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(Object.entries(BLOCK_COPY_SITES))('block-copy on %s', (name, stated) => {
  it('offers exactly the stated sites and refuses the stated layers with their reasons', () => {
    const model = getFixture(name).build();
    const graph = toGraph(model);
    expect(findSites(graph, blockCopy())).toEqual(stated.offers);
    for (const [layer, words] of Object.entries(stated.refuses)) expect(blockCopy().explain?.(graph, layer)).toContain(words);
    model.dispose();
  });
});
