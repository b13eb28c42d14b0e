import { describeStrategyConformance } from '@graft/conformance';
import { fixtures } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { hyperclone } from './hyperclone.js';
import { HYPERCLONE_SITES } from './test-support/stated-sites.js';

// Every fixture: "*" wherever every layer reading cloned features has an exact rule; refused, with the reason, elsewhere.
describeStrategyConformance(hyperclone(), { sites: HYPERCLONE_SITES });

it('states every fixture', () => {
  expect(Object.keys(HYPERCLONE_SITES).sort()).toEqual(fixtures.map((f) => f.name).sort());
});

describe('three copies, with noise', () => {
  const some = ['gpt-1-block-1-head', 'gpt-2-blocks-4-heads', 'resnet-blocks', 'per-token-mlp-layernorm', 'dense-chain-tanh', 'text-classifier-lstm'] as const;
  describeStrategyConformance(hyperclone({ factor: 3, noise: 0.1 }), { label: 'factor 3, noise 0.1', sites: Object.fromEntries(some.map((name) => [name, HYPERCLONE_SITES[name]])) });
});
