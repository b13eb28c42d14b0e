import { describeStrategyConformance, type StatedSites } from '@graft/conformance';
import { widen } from './index.js';

/**
 * Every fixture, "shared-layer" included (core's disposeModel frees layers called at several sites, so the leak
 * check no longer blames widen for them): each layer widen must offer, and some it must refuse.
 */
const SITES: StatedSites = {
  'dense-chain-relu': { offers: ['dense_1', 'dense_3'], refuses: { dense_1_input: 'it is a InputLayer', dense_5: 'it is a model output' } },
  'dense-chain-tanh': { offers: ['dense_1', 'dense_3'], refuses: { dense_1_input: 'it is a InputLayer', dense_5: 'it is a model output' } },
  'dense-chain-sigmoid': { offers: ['dense_1', 'dense_3'], refuses: { dense_1_input: 'it is a InputLayer', dense_5: 'it is a model output' } },
  'dense-chain-linear': { offers: ['dense_1', 'dense_3'], refuses: { dense_1_input: 'it is a InputLayer', dense_5: 'it is a model output' } },
  'dense-chain-softmax': { offers: [], refuses: { dense_1_input: 'it is a InputLayer', dense_1: '"dense_1" (Dense) applies "softmax"' } },
  'conv-same-padding-pooling': { offers: ['conv_1', 'conv_3'], refuses: { conv_1_input: 'it is a InputLayer', max_pool: 'it is a MaxPooling2D' } },
  'conv-valid-strides': { offers: ['conv_1', 'conv_3'], refuses: { conv_1_input: 'it is a InputLayer', flatten: 'it is a Flatten' } },
  'conv-batchnorm-dropout': { offers: ['conv_1', 'dense_3'], refuses: { conv_1_input: 'it is a InputLayer', conv_bn: 'it is a BatchNormalization' } },
  'functional-residual': { offers: [], refuses: { input: 'it is a InputLayer', dense_1: '"add" (Add) merges it with other tensors, whose width would no longer' } },
  'functional-conv-residual': { offers: [], refuses: { input: 'it is a InputLayer', conv_1: '"add" (Add) merges it with other tensors, whose width would no longer' } },
  'multi-input-multi-output': { offers: ['dense_5'], refuses: { left: 'it is a InputLayer', dense_1: '"concat" (Concatenate) merges it with other tensors, whose width' } },
  'shared-layer': { offers: ['dense_3'], refuses: { a: 'it is a InputLayer', dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['conv', 'hidden'], refuses: { conv_input: 'it is a InputLayer', flatten: 'it is a Flatten' } },
  'text-classifier-lstm': { offers: [], refuses: { embedding: 'it is a Embedding' } },
  'sequence-tagger-gru': { offers: ['token_hidden'], refuses: { gru: 'it is a GRU' } },
  'conv1d-net': { offers: ['conv1d_1', 'conv1d_2', 'conv1d_3'], refuses: { global_avg_pool: 'it is a GlobalAveragePooling1D' } },
  'per-token-mlp-layernorm': { offers: [], refuses: { token_dense_1: 'a LayerNormalization reads the 8 units' } },
  'gpt-block': { offers: ['block_0_mlp_hidden'], refuses: { block_0_head_0_scores: 'it is a Dot', block_0_head_0_query: '(Dot) merges it with other tensors' } },
};

describeStrategyConformance(widen(), { sites: SITES });
// Uniform replication before a LayerNormalization needs a multiple of the width: offered at factor 2.
describeStrategyConformance(widen({ factor: 2 }), { sites: { 'per-token-mlp-layernorm': { offers: ['token_dense_1', 'token_dense_2'] } }, label: 'LayerNormalization' });
