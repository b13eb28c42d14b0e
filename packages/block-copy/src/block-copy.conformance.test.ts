import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { blockCopy } from './block-copy.js';
import { BLOCK_COPY_SITES } from './test-support/stated-sites.js';

// Every fixture with residual Adds: the GPTs (each sublayer), the ResNet-style net and the two small residual nets.
describeStrategyConformance(blockCopy(), { sites: BLOCK_COPY_SITES });

// Whole transformer blocks (attention and MLP sublayers together), as LLaMA Pro copies them. With `through` fixed to
// the MLP Add, the attention Add copies the block and the MLP Add its own sublayer.
describe('whole block', () => {
  describeStrategyConformance(blockCopy({ through: 'block_0_mlp_add' }), {
    label: 'whole block',
    sites: {
      'gpt-1-block-1-head': { offers: ['block_0_attn_add', 'block_0_mlp_add'], refuses: { embedding_add: 'not a residual connection' } },
      'gpt-1-block-4-heads': { offers: ['block_0_attn_add', 'block_0_mlp_add'] },
    },
  });
});
