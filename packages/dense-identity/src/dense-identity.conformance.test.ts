import { describeStrategyConformance, type StatedSites } from '@graft/conformance';
import { describe } from 'vitest';
import { denseIdentity } from './index.js';

/** Every fixture: each layer dense-identity must offer, and some it must refuse with words of the reason. */
const SITES: StatedSites = {
  'dense-chain-relu': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-tanh': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-sigmoid': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-linear': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-softmax': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
  'conv-same-padding-pooling': { offers: ['global_avg_pool', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'conv-valid-strides': { offers: ['flatten', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'conv-batchnorm-dropout': { offers: ['flatten', 'dense_3', 'dense_bn', 'dense_5'], refuses: { conv_1_input: 'output has rank 4' } },
  'functional-residual': { offers: ['input', 'dense_1', 'dense_3', 'add', 'dense_5', 'multiply', 'dense_7'] },
  'functional-conv-residual': { offers: ['global_max_pool', 'dense_5'], refuses: { input: 'output has rank 4' } },
  'multi-input-multi-output': { offers: ['left', 'right', 'dense_1', 'dense_3', 'concat', 'dense_5', 'dense_7', 'dense_9'] },
  'shared-layer': { offers: ['a', 'b', 'concat', 'dense_3', 'dense_5'], refuses: { dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['hidden', 'output'], refuses: { conv_input: 'output has rank 4', flatten: 'output has 21,632 units' } },
};

describeStrategyConformance(denseIdentity(), { sites: SITES });

/** Widening needs Dense consumers only: model outputs and merges are refused. */
const WIDENED: StatedSites = {
  'dense-chain-relu': { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
  'dense-chain-tanh': { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
  'dense-chain-sigmoid': { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
  'dense-chain-linear': { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
  'dense-chain-softmax': { offers: ['dense_1_input', 'dense_1', 'dense_3'], refuses: { dense_5: 'cannot widen to 24 units: output of "dense_5" is a model output' } },
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
