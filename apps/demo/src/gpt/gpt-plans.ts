import { disposeModel, grow } from '@graft/core';
import { blockCopy } from '@graft/block-copy';
import { hyperclone } from '@graft/hyperclone';
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

/**
 * Relative noise hyperclone puts on the weights that read cloned features, cancelling exactly across the copies:
 * without it deterministic training keeps the two copies identical and the wider model can never use its width.
 */
export const HYPERCLONE_NOISE = 0.1;

/**
 * hyperclone to twice the width (HyperCloning): every hidden feature cloned, heads twice as wide with the query
 * scaled by 1/2 so attention scores stay, MLP twice as wide; inputs and outputs unchanged.
 */
export function hyperclonePlan(): GrowthPlan {
  return {
    strategy: 'hyperclone',
    growth: `factor 2, noise ${HYPERCLONE_NOISE} (cancelling across the copies), site '*'`,
    async grow(base) {
      const { model } = await grow(base, hyperclone({ factor: 2, noise: HYPERCLONE_NOISE, seed: 1 }), { after: '*' });
      return model;
    },
    // Same heads, each twice as wide: the parameters of gpt() at twice the width. (gpt() scales scores by
    // 1/√(head size) where the clone keeps the base's scale and halves the query: a constant factor, no parameter.)
    grownShape: (shape: GptShape) => ({ ...shape, dModel: 2 * shape.dModel }),
  };
}

/** The two growths of the GPT experiment. */
export function gptPlans(): GrowthPlan[] {
  return [blockCopyPlan(), hyperclonePlan()];
}
