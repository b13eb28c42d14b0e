import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { convIdentity } from './index.js';

describeStrategyConformance(convIdentity());

// Factory options do not show in the suite's title; this block names the 5×5 run apart. Small fixtures only.
describe('with a 5×5 kernel', () => {
  describeStrategyConformance(convIdentity({ kernelSize: 5 }), { fixtures: ['conv-same-padding-pooling', 'functional-conv-residual'] });
});
