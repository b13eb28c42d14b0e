import { DENSE_CHAINS, describeStrategyConformance, statedForEach, type StatedSites } from '@graft/conformance';
import { convGate } from './conv-gate.js';

/** Every fixture: each layer conv-gate must offer (rank 4, never an input), and some it must refuse. */
const SITES: StatedSites = {
  ...statedForEach(DENSE_CHAINS, { offers: [], refuses: { dense_1_input: '"dense_1_input" is a model input', dense_1: 'output has rank 2' } }),
  'conv-same-padding-pooling': { offers: ['conv_1', 'max_pool', 'conv_3'], refuses: { conv_1_input: '"conv_1_input" is a model input', global_avg_pool: 'output has rank 2' } },
  'conv-valid-strides': { offers: ['conv_1', 'conv_3'], refuses: { conv_1_input: '"conv_1_input" is a model input', flatten: 'output has rank 2' } },
  'conv-batchnorm-dropout': { offers: ['conv_1', 'conv_bn', 'relu', 'dropout', 'avg_pool'], refuses: { conv_1_input: '"conv_1_input" is a model input', flatten: 'output has rank 2' } },
  'functional-residual': { offers: [], refuses: { input: '"input" is a model input', dense_1: 'output has rank 2' } },
  'functional-conv-residual': { offers: ['conv_1', 'conv_3', 'add'], refuses: { input: '"input" is a model input', global_max_pool: 'output has rank 2' } },
  'multi-input-multi-output': { offers: [], refuses: { left: '"left" is a model input', dense_1: 'output has rank 2' } },
  'shared-layer': { offers: [], refuses: { a: '"a" is a model input', dense_1: 'layer is called at 2 sites' } },
  'mnist-reference': { offers: ['conv'], refuses: { conv_input: '"conv_input" is a model input', flatten: 'output has rank 2' } },
  'text-classifier-lstm': { offers: [], refuses: { embedding: 'is a sequence no Conv1D produced' } },
  'sequence-tagger-gru': { offers: [], refuses: { gru: 'is a sequence no Conv1D produced' } },
  'conv1d-net': { offers: ['conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3'], refuses: { global_avg_pool: 'output has rank 2' } },
  'per-token-mlp-layernorm': { offers: [], refuses: { token_dense_1: 'is a sequence no Conv1D produced' } },
  'gpt-block': { offers: [], refuses: { block_0_head_0_scores: 'indexes positions', block_0_mlp_hidden: 'is a sequence no Conv1D produced' } },
};

// Training steps through a 26×26×32 gate on the pure-JS cpu backend take minutes on a busy machine.
describeStrategyConformance(convGate(), { sites: SITES, timeout: 600_000 });

// The other gates on the small conv fixtures, options given as the CLI gives them (strings) to cover that path too.
const SMALL_CONV: StatedSites = Object.fromEntries(['conv-same-padding-pooling', 'conv-valid-strides', 'conv-batchnorm-dropout', 'functional-conv-residual'].map((name) => [name, SITES[name]!]));
describeStrategyConformance(convGate(), { sites: SMALL_CONV, options: { gate: 'tanh', kernelSize: '5' } });
describeStrategyConformance(convGate(), { sites: SMALL_CONV, options: { gate: 'sigmoid' } });
describeStrategyConformance(convGate(), { sites: SMALL_CONV, options: { gate: 'linear', kernelSize: '1' } });
