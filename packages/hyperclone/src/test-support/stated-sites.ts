/**
 * What hyperclone offers (`['*']`) or refuses (at `'*'`) on every fixture, in the shape of the conformance suite's
 * stated sites (`{ offers, refuses }` per fixture name).
 */
const CLONED = { offers: ['*'], refuses: {} };
export const HYPERCLONE_SITES = {
  'dense-chain-relu': CLONED,
  'dense-chain-tanh': CLONED,
  'dense-chain-sigmoid': CLONED,
  'dense-chain-linear': CLONED,
  'dense-chain-softmax': { offers: [], refuses: { '*': 'no hidden tensor can be cloned' } },
  'conv-same-padding-pooling': CLONED,
  'conv-valid-strides': CLONED,
  'conv-batchnorm-dropout': CLONED,
  'functional-residual': CLONED,
  'functional-conv-residual': CLONED,
  'multi-input-multi-output': CLONED,
  'shared-layer': { offers: [], refuses: { '*': 'is shared (called 2 times)' } },
  'mnist-reference': CLONED,
  'text-classifier-lstm': { offers: [], refuses: { '*': 'layer "lstm" (LSTM) reads cloned features' } },
  'sequence-tagger-gru': { offers: [], refuses: { '*': 'layer "gru" (GRU) reads cloned features' } },
  'conv1d-net': CLONED,
  'per-token-mlp-layernorm': CLONED,
  'gpt-block': CLONED,
  'gpt-1-block-1-head': CLONED,
  'gpt-1-block-4-heads': CLONED,
  'gpt-2-blocks-4-heads': CLONED,
  'resnet-blocks': CLONED,
} as const;
