import { disposeModel, grow } from '@graft/core';
import { blockCopy } from '@graft/block-copy';
import type { GptShape, GrowthPlan } from './gpt-experiment.js';

/**
 * block-copy to twice the blocks: after each block `i` of the base, a copy of the whole block (attention Add
 * through MLP Add, `through`), its two output projections zeroed (LLaMA Pro). Copies follow the blocks they copy.
 */
export function blockCopyPlan(): GrowthPlan {
  return {
    strategy: 'block-copy',
    growth: 'every block copied after itself (site block_i_attn_add, through block_i_mlp_add)',
    async grow(base, shape) {
      let model = base;
      for (let block = 0; block < shape.blocks; block++) {
        const { model: grown } = await grow(model, blockCopy({ through: `block_${block}_mlp_add` }), { after: `block_${block}_attn_add` });
        if (model !== base) disposeModel(model);
        model = grown;
      }
      return model;
    },
    grownShape: (shape: GptShape) => ({ ...shape, blocks: 2 * shape.blocks }),
  };
}

/** The two growths of the GPT experiment. */
export function gptPlans(): GrowthPlan[] {
  return [blockCopyPlan()];
}
