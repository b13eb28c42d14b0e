import * as tf from '@tensorflow/tfjs';
import { findSites, toGraph } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { hyperclone } from './hyperclone.js';
import { HYPERCLONE_SITES } from './test-support/stated-sites.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(Object.entries(HYPERCLONE_SITES))('hyperclone on %s', (name, stated) => {
  it('offers exactly the stated sites and refuses the stated layers with their reasons', () => {
    const model = getFixture(name).build();
    const graph = toGraph(model);
    expect(findSites(graph, hyperclone())).toEqual(stated.offers);
    for (const [layer, words] of Object.entries(stated.refuses)) expect(hyperclone().explain?.(graph, layer)).toContain(words);
    model.dispose();
  });
});

it('states every fixture', async () => {
  const { fixtures } = await import('@graft/fixtures');
  expect(Object.keys(HYPERCLONE_SITES).sort()).toEqual(fixtures.map((f) => f.name).sort());
});
