import { describeStrategyConformance } from '@graft/conformance';
import { convGate } from './conv-gate.js';

// Training steps through a 26×26×32 gate on the pure-JS cpu backend take minutes on a busy machine.
describeStrategyConformance(convGate(), { timeout: 600_000 });

// The other gates on the small conv fixtures, options given as the CLI gives them (strings) to cover that path too.
const SMALL_CONV = ['conv-same-padding-pooling', 'conv-valid-strides', 'conv-batchnorm-dropout', 'functional-conv-residual'];
describeStrategyConformance(convGate(), { fixtures: SMALL_CONV, options: { gate: 'tanh', kernelSize: '5' } });
describeStrategyConformance(convGate(), { fixtures: SMALL_CONV, options: { gate: 'sigmoid' } });
describeStrategyConformance(convGate(), { fixtures: SMALL_CONV, options: { gate: 'linear', kernelSize: '1' } });
