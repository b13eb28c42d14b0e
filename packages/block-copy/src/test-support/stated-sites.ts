/**
 * What block-copy offers and refuses on each fixture it is checked on, in the shape of the conformance suite's
 * stated sites (`{ offers, refuses }` per fixture name): exactly these sites, and these refusals' words.
 */
export const BLOCK_COPY_SITES = {
  'gpt-1-block-1-head': { offers: ['block_0_attn_add', 'block_0_mlp_add'], refuses: { embedding_add: 'not a residual connection', block_0_head_0_masked: 'not a residual connection', block_0_mlp_hidden: 'not a residual Add' } },
  'gpt-1-block-4-heads': { offers: ['block_0_attn_add', 'block_0_mlp_add'], refuses: { embedding_add: 'not a residual connection', block_0_attn_concat: 'not a residual Add' } },
  'gpt-2-blocks-4-heads': { offers: ['block_0_attn_add', 'block_0_mlp_add', 'block_1_attn_add', 'block_1_mlp_add'], refuses: { embedding_add: 'not a residual connection', block_1_head_0_masked: 'is not self-contained' } },
  'resnet-blocks': { offers: ['block_0_add', 'block_1_add'], refuses: { block_0_conv_1: 'not a residual Add' } },
  'functional-residual': { offers: ['add'], refuses: { multiply: 'not a residual Add' } },
  'functional-conv-residual': { offers: ['add'], refuses: { conv_3: 'not a residual Add' } },
} as const;
