// What the sample strategies offer on each fixture, stated as a strategy package states its own.
import type { StatedSites } from './stated-sites.js';

/** linearIdentity: every rank-2 layer up to 64 wide, never an input. */
export const LINEAR_IDENTITY_SITES: StatedSites = {
  'dense-chain-relu': { offers: ['dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-tanh': { offers: ['dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-sigmoid': { offers: ['dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-linear': { offers: ['dense_1', 'dense_3', 'dense_5'] },
  'dense-chain-softmax': { offers: ['dense_1', 'dense_3', 'dense_5'] },
  'conv-same-padding-pooling': { offers: ['global_avg_pool', 'dense_5'], refuses: { conv_3: 'does not apply after layer "conv_3"' } },
  'conv-valid-strides': { offers: ['flatten', 'dense_5'] },
  'conv-batchnorm-dropout': { offers: ['dense_3', 'dense_bn', 'dense_5'] },
  'functional-residual': { offers: ['dense_1', 'dense_3', 'add', 'dense_5', 'multiply', 'dense_7'], refuses: { input: 'does not apply after layer "input"' } },
  'functional-conv-residual': { offers: ['global_max_pool', 'dense_5'] },
  'multi-input-multi-output': { offers: ['dense_1', 'dense_3', 'concat', 'dense_5', 'dense_7', 'dense_9'] },
  'shared-layer': { offers: ['concat', 'dense_3', 'dense_5'], refuses: { dense_1: 'does not apply after layer "dense_1"' } },
  'mnist-reference': { offers: ['hidden', 'output'], refuses: { conv: 'does not apply after layer "conv"', flatten: 'does not apply after layer "flatten"' } },
};

/** The stated sites of `names` only. */
export function sitesOf(names: readonly string[], all: StatedSites = LINEAR_IDENTITY_SITES): StatedSites {
  return Object.fromEntries(names.map((name) => [name, all[name]!]));
}
