import { describeStrategyConformance } from '@graft/conformance';
import { residual } from './residual.js';

// Training steps through the MNIST-sized branches on the pure-JS cpu backend take minutes on a busy machine.
describeStrategyConformance(residual(), { timeout: 600_000 });

// A bounded activation, a narrow branch and a wider conv kernel, options given as the CLI gives them (strings).
describeStrategyConformance(residual(), { fixtures: ['conv-same-padding-pooling', 'functional-conv-residual', 'functional-residual', 'dense-chain-sigmoid'], options: { activation: 'tanh', kernelSize: '5', hidden: '3' } });
