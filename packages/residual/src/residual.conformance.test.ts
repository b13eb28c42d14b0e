import { DENSE_CHAINS, describeStrategyConformance, statedForEach, type StatedSites } from '@graft/conformance';
import { residual } from './residual.js';

/** Every fixture: each layer residual must offer (rank 2 or 4, never an input), and some it must refuse. */
const SITES: StatedSites = {
  ...statedForEach(DENSE_CHAINS, { offers: ['dense_1', 'dense_3', 'dense_5'], refuses: { dense_1_input: '"dense_1_input" is a model input' } }),
  'conv-same-padding-pooling': { offers: ['conv_1', 'max_pool', 'conv_3', 'global_avg_pool', 'dense_5'], refuses: { conv_1_input: '"conv_1_input" is a model input' } },
  'conv-valid-strides': { offers: ['conv_1', 'conv_3', 'flatten', 'dense_5'], refuses: { conv_1_input: '"conv_1_input" is a model input' } },
  'conv-batchnorm-dropout': { offers: ['conv_1', 'conv_bn', 'relu', 'dropout', 'avg_pool', 'flatten', 'dense_3', 'dense_bn', 'dense_5'], refuses: { conv_1_input: '"conv_1_input" is a model input' } },
  'functional-residual': { offers: ['dense_1', 'dense_3', 'add', 'dense_5', 'multiply', 'dense_7'], refuses: { input: '"input" is a model input' } },
  'functional-conv-residual': { offers: ['conv_1', 'conv_3', 'add', 'global_max_pool', 'dense_5'], refuses: { input: '"input" is a model input' } },
  'multi-input-multi-output': { offers: ['dense_1', 'dense_3', 'concat', 'dense_5', 'dense_7', 'dense_9'], refuses: { left: '"left" is a model input' } },
  'shared-layer': { offers: ['concat', 'dense_3', 'dense_5'], refuses: { a: '"a" is a model input', dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['conv', 'flatten', 'hidden', 'output'], refuses: { conv_input: '"conv_input" is a model input' } },
  'text-classifier-lstm': { offers: ['lstm', 'classes'], refuses: { embedding: 'carries a padding mask' } },
  'sequence-tagger-gru': { offers: ['embedding', 'gru', 'token_hidden', 'token_tags'] },
  'conv1d-net': { offers: ['conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3', 'global_avg_pool', 'classes'], refuses: { conv1d_1_input: 'is a model input' } },
  'per-token-mlp-layernorm': { offers: ['embedding', 'token_dense_1', 'layer_norm_1', 'token_dense_2', 'layer_norm_2', 'token_classes'] },
  'gpt-block': {
    offers: ['token_embedding', 'position_embedding', 'embedding_add', 'block_0_ln_1', 'block_0_head_0_query', 'block_0_head_1_query', 'block_0_head_0_value', 'block_0_head_1_value', 'block_0_head_0_attend', 'block_0_head_1_attend', 'block_0_attn_concat', 'block_0_attn_proj', 'block_0_attn_add', 'block_0_ln_2', 'block_0_mlp_hidden', 'block_0_mlp_proj', 'block_0_mlp_add', 'final_ln', 'head'],
    refuses: { block_0_head_0_scores: 'indexes positions', block_0_head_0_softmax: 'indexes positions', block_0_head_0_key: 'read only as attention keys' },
  },
};

// Training steps through the MNIST-sized branches on the pure-JS cpu backend take minutes on a busy machine.
describeStrategyConformance(residual(), { sites: SITES, timeout: 600_000 });

// A bounded activation, a narrow branch and a wider conv kernel, options given as the CLI gives them (strings).
const SMALL: StatedSites = Object.fromEntries(['conv-same-padding-pooling', 'functional-conv-residual', 'functional-residual', 'dense-chain-sigmoid'].map((name) => [name, SITES[name]!]));
describeStrategyConformance(residual(), { sites: SMALL, options: { activation: 'tanh', kernelSize: '5', hidden: '3' } });
