import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { addHeads } from './add-heads.js';

// Every GPT fixture (one head, four heads, two blocks), and sequence-model fixtures where it must offer nothing else.
describeStrategyConformance(addHeads(), { fixtures: ['transformer', 'gpt', 'per-token-mlp-layernorm', 'functional-residual'] });

describe('three heads at once', () => {
  describeStrategyConformance(addHeads({ heads: 3, seed: 9 }), { fixtures: ['gpt-1-block-1-head', 'gpt-2-blocks-4-heads'] });
});
