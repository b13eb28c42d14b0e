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
};

describeStrategyConformance(widen(), { sites: SITES });
