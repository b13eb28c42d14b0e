import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { hyperclone } from './hyperclone.js';

// Every fixture: the strategy offers "*" wherever it has an exact rule for every layer reading cloned features.
describeStrategyConformance(hyperclone());

describe('three copies, with noise', () => {
  describeStrategyConformance(hyperclone({ factor: 3, noise: 0.1 }), { fixtures: ['transformer', 'residual-net', 'per-token-mlp-layernorm', 'dense'] });
});
