import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { hyperclone } from './hyperclone.js';
import { HYPERCLONE_SITES } from './test-support/stated-sites.js';

// Every fixture: the strategy offers "*" wherever it has an exact rule for every layer reading cloned features.
describeStrategyConformance(hyperclone(), { sites: HYPERCLONE_SITES });

describe('three copies, with noise', () => {
  const { 'gpt-2-blocks-4-heads': gpt, 'resnet-blocks': resnet, 'per-token-mlp-layernorm': perToken, 'dense-chain-relu': dense } = HYPERCLONE_SITES;
  describeStrategyConformance(hyperclone({ factor: 3, noise: 0.1 }), {
    sites: { 'gpt-2-blocks-4-heads': gpt, 'resnet-blocks': resnet, 'per-token-mlp-layernorm': perToken, 'dense-chain-relu': dense },
  });
});
