import { DENSE_CHAINS, describeStrategyConformance, statedForEach, type StatedSites } from '@graft/conformance';
import { describe } from 'vitest';
import { denseIdentity } from './index.js';

/** Every fixture: each layer dense-identity must offer, and some it must refuse with words of the reason. */
const SITES: StatedSites = {
  ...statedForEach(DENSE_CHAINS, { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] }),
  'conv-same-padding-pooling': { offers: ['global_avg_pool', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'conv-valid-strides': { offers: ['flatten', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'conv-batchnorm-dropout': { offers: ['flatten', 'dense_3', 'dense_bn', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'functional-residual': { offers: ['input', 'dense_1', 'dense_3', 'add', 'dense_5', 'multiply', 'dense_7'] },
  'functional-conv-residual': { offers: ['global_max_pool', 'dense_5'], refuses: { input: 'output has rank 4' } },
  'multi-input-multi-output': { offers: ['left', 'right', 'dense_1', 'dense_3', 'concat', 'dense_5', 'dense_7', 'dense_9'] },
  'shared-layer': { offers: ['a', 'b', 'concat', 'dense_3', 'dense_5'], refuses: { dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['hidden', 'output'], refuses: { conv_input: 'output has rank 4', flatten: 'output has 21,632 units' } },
  'text-classifier-lstm': { offers: ['embedding', 'lstm', 'classes'], refuses: { embedding_input: 'is read as indices by Embedding' } },
  'sequence-tagger-gru': { offers: ['embedding', 'gru', 'token_hidden', 'token_tags'], refuses: { ids: 'has dtype int32' } },
  'conv1d-net': { offers: ['conv1d_1_input', 'conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3', 'global_avg_pool', 'classes'] },
  'per-token-mlp-layernorm': { offers: ['embedding', 'token_dense_1', 'layer_norm_1', 'token_dense_2', 'layer_norm_2', 'token_classes'], refuses: { ids: 'has dtype int32' } },
  'gpt-block': {
    offers: ['token_embedding', 'position_embedding', 'embedding_add', 'block_0_ln_1', 'block_0_head_0_query', 'block_0_head_0_key', 'block_0_head_1_query', 'block_0_head_1_key', 'block_0_head_0_value', 'block_0_head_1_value', 'block_0_head_0_attend', 'block_0_head_1_attend', 'block_0_attn_concat', 'block_0_attn_proj', 'block_0_attn_add', 'block_0_ln_2', 'block_0_mlp_hidden', 'block_0_mlp_proj', 'block_0_mlp_add', 'final_ln', 'head'],
    refuses: { tokens: 'has dtype int32', block_0_head_0_scores: 'indexes positions', causal_mask: 'indexes positions' },
  },
};

describeStrategyConformance(denseIdentity(), { sites: SITES });

/** Widening needs Dense consumers only: model outputs and merges are refused. */
const WIDENED: StatedSites = {
  ...statedForEach(DENSE_CHAINS, { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } }),
  'functional-residual': { offers: ['input', 'multiply'], refuses: { dense_1: 'cannot widen to 24 units: "add" (Add) reads it and cannot take zero', add: 'cannot widen to 24 units: "multiply" (Multiply) reads it and cannot' } },
  'functional-conv-residual': { offers: ['global_max_pool'], refuses: { input: 'output has rank 4', dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
  'multi-input-multi-output': { offers: ['left', 'right', 'concat', 'dense_5'], refuses: { dense_1: 'cannot widen to 24 units: "concat" (Concatenate) reads it and cannot', dense_7: 'cannot widen to 24 units: output of "dense_7" is a model output' } },
  'shared-layer': { offers: ['concat', 'dense_3'], refuses: { a: 'cannot widen to 24 units: its consumer "dense_1" is called at 2 sites', dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['hidden'], refuses: { conv_input: 'output has rank 4', flatten: 'output has 21,632 units' } },
};

// Factory options do not show in the suite's title; this block names the widening run apart.
describe('widened to 24 units', () => {
  // The extras' zero outgoing rows and small incoming weights must keep predictions and learn.
  describeStrategyConformance(denseIdentity({ units: 24 }), { sites: WIDENED });
});
