import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { addHeads } from './add-heads.js';
import { ADD_HEADS_SITES } from './test-support/stated-sites.js';

// Every GPT fixture (one head, four heads, two blocks), and sequence-model fixtures where it must offer nothing.
describeStrategyConformance(addHeads(), { sites: ADD_HEADS_SITES });

describe('three heads at once', () => {
  const { 'gpt-1-block-1-head': one, 'gpt-2-blocks-4-heads': two } = ADD_HEADS_SITES;
  describeStrategyConformance(addHeads({ heads: 3, seed: 9 }), { sites: { 'gpt-1-block-1-head': one, 'gpt-2-blocks-4-heads': two } });
});
