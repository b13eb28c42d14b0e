import { describeStrategyConformance } from '@graft/conformance';
import { blockCopy } from './block-copy.js';

// Every fixture with residual Adds: the GPTs (each sublayer), the ResNet-style net and the two small residual nets.
describeStrategyConformance(blockCopy(), { fixtures: ['transformer', 'residual-net', 'functional-residual', 'functional-conv-residual'] });

// Whole transformer blocks (attention and MLP sublayers together), as LLaMA Pro copies them.
describeStrategyConformance(blockCopy({ through: 'block_0_mlp_add' }), { fixtures: ['gpt-1-block-1-head', 'gpt-1-block-4-heads'], label: 'whole block' });
