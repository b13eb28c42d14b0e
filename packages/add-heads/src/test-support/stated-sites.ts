/**
 * What add-heads offers and refuses on each fixture it is checked on, in the shape of the conformance suite's
 * stated sites (`{ offers, refuses }` per fixture name): exactly these sites, and these refusals' words.
 */
export const ADD_HEADS_SITES = {
  'gpt-1-block-1-head': { offers: ['block_0_attn_proj'], refuses: { block_0_mlp_proj: 'is not attention heads', block_0_head_0_attend: 'it is a Dot' } },
  'gpt-1-block-4-heads': { offers: ['block_0_attn_proj'], refuses: { block_0_attn_concat: 'it is a Concatenate', head: 'is not attention heads' } },
  'gpt-2-blocks-4-heads': { offers: ['block_0_attn_proj', 'block_1_attn_proj'], refuses: { block_1_mlp_proj: 'is not attention heads' } },
  'gpt-block': { offers: ['block_0_attn_proj'], refuses: { block_0_mlp_proj: 'is not attention heads' } },
  'per-token-mlp-layernorm': { offers: [], refuses: { token_dense_2: 'is not attention heads' } },
  'functional-residual': { offers: [], refuses: { dense_3: 'is not attention heads' } },
} as const;
