import { describeStrategyConformance } from '@graft/conformance';
import { blockCopy } from './block-copy.js';
import { BLOCK_COPY_SITES } from './test-support/stated-sites.js';

// Every fixture with residual Adds: the GPTs (each sublayer), the ResNet-style net and the two small residual nets.
describeStrategyConformance(blockCopy(), { sites: BLOCK_COPY_SITES });

// Whole transformer blocks (attention and MLP sublayers together), as LLaMA Pro copies them.
describeStrategyConformance(blockCopy({ through: 'block_0_mlp_add' }), {
  sites: { 'gpt-1-block-1-head': { offers: ['block_0_attn_add', 'block_0_mlp_add'] }, 'gpt-1-block-4-heads': { offers: ['block_0_attn_add', 'block_0_mlp_add'] } },
  label: 'whole block',
});
