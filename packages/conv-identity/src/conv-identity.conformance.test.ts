import { DENSE_CHAINS, describeStrategyConformance, statedForEach, type StatedSites } from '@graft/conformance';
import { describe } from 'vitest';
import { convIdentity } from './index.js';

/** Every fixture: each layer conv-identity must offer (channels_last rank 4), and some it must refuse. */
const SITES: StatedSites = {
  ...statedForEach(DENSE_CHAINS, { offers: [], refuses: { dense_1_input: 'output has rank 2' } }),
  'conv-same-padding-pooling': { offers: ['conv_1_input', 'conv_1', 'max_pool', 'conv_3'], refuses: { global_avg_pool: 'output has rank 2' } },
  'conv-valid-strides': { offers: ['conv_1_input', 'conv_1', 'conv_3'], refuses: { flatten: 'output has rank 2' } },
  'conv-batchnorm-dropout': { offers: ['conv_1_input', 'conv_1', 'conv_bn', 'relu', 'dropout', 'avg_pool'], refuses: { flatten: 'output has rank 2' } },
  'functional-residual': { offers: [], refuses: { input: 'output has rank 2' } },
  'functional-conv-residual': { offers: ['input', 'conv_1', 'conv_3', 'add'], refuses: { global_max_pool: 'output has rank 2' } },
  'multi-input-multi-output': { offers: [], refuses: { left: 'output has rank 2' } },
  'shared-layer': { offers: [], refuses: { a: 'output has rank 2', dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['conv_input', 'conv'], refuses: { flatten: 'output has rank 2' } },
  'text-classifier-lstm': { offers: [], refuses: { embedding: 'is a sequence no Conv1D produced' } },
  'sequence-tagger-gru': { offers: [], refuses: { gru: 'is a sequence no Conv1D produced' } },
  'conv1d-net': { offers: ['conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3'], refuses: { global_avg_pool: 'output has rank 2' } },
  'per-token-mlp-layernorm': { offers: [], refuses: { token_dense_1: 'is a sequence no Conv1D produced' } },
  'gpt-block': { offers: [], refuses: { block_0_head_0_scores: 'indexes positions', block_0_mlp_hidden: 'is a sequence no Conv1D produced' } },
};

describeStrategyConformance(convIdentity(), { sites: SITES });

// Factory options do not show in the suite's title; this block names the 5×5 run apart. Small fixtures only.
describe('with a 5×5 kernel', () => {
  describeStrategyConformance(convIdentity({ kernelSize: 5 }), {
    sites: {
      'conv-same-padding-pooling': { offers: ['conv_1_input', 'conv_1', 'max_pool', 'conv_3'], refuses: { global_avg_pool: 'output has rank 2' } },
      'functional-conv-residual': { offers: ['input', 'conv_1', 'conv_3', 'add'], refuses: { global_max_pool: 'output has rank 2' } },
    },
  });
});
