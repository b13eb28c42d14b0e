import { describeStrategyConformance } from '@graft/conformance';
import { describe } from 'vitest';
import { denseIdentity } from './index.js';

describeStrategyConformance(denseIdentity());

// Factory options do not show in the suite's title; this block names the widening run apart.
describe('widened to 24 units', () => {
  // The extras' zero outgoing rows and small incoming weights must keep predictions and learn.
  describeStrategyConformance(denseIdentity({ units: 24 }), { fixtures: ['dense', 'functional', 'mnist-reference'] });
});
