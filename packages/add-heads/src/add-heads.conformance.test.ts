import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { addHeads } from './add-heads.js';
import { ADD_HEADS_SITES } from './test-support/stated-sites.js';

// Every GPT fixture (one head, four heads, two blocks), and fixtures where it must offer nothing.
describeStrategyConformance(addHeads(), { sites: ADD_HEADS_SITES });

describe('three heads at once', () => {
  describeStrategyConformance(addHeads({ heads: 3, seed: 9 }), { label: 'three heads', sites: { 'gpt-1-block-1-head': ADD_HEADS_SITES['gpt-1-block-1-head'], 'gpt-2-blocks-4-heads': ADD_HEADS_SITES['gpt-2-blocks-4-heads'] } });
});
