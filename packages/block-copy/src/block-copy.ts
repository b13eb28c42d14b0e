import { plannedStrategy, planOrRefuse, type SurgeryStrategy } from '@graft/core';
import { buildBlockCopy } from './build.js';
import { DEFAULTS, OPTIONS, type BlockCopyOptions } from './options.js';
import { planBlockCopy } from './plan.js';

/**
 * LLaMA Pro's depth growth for any residual network: at a residual Add `y = x + f(x)` (a transformer sublayer, a
 * ResNet block), inserts after it a copy `y' = y + f'(y)` of the branch `f` with its trained weights, except that
 * the last weighted layer of each copied branch (an output projection, a block's last conv or BatchNorm) starts at
 * zero, so `f'(y) = 0` and the new Add passes the stream on exactly. The zeroed layers receive gradient at the
 * first step, the copied inner layers from the second.
 *
 * Sites are the residual Adds whose branch reads nothing else from the stream (model inputs such as a causal mask
 * are fine), has a single exit, and maps to zero once its last weighted layers are zeroed. Options `source` (copy
 * another residual Add's branch) and `through` (copy the span of residual Adds up to a later one: a whole
 * transformer block) choose what is copied; see {@link BlockCopyOptions}.
 *
 * @throws GraftError `INVALID_OPTION` for options that are not layer names.
 */
export function blockCopy(options: BlockCopyOptions = {}): SurgeryStrategy<BlockCopyOptions> {
  return plannedStrategy(
    {
      name: 'block-copy',
      description: 'Copy a residual block after itself with its output projection zeroed (LLaMA Pro depth growth).',
      options: OPTIONS,
      defaults: DEFAULTS,
      plan: (graph, layer, chosen) => planOrRefuse(planBlockCopy(graph, layer, chosen)),
      build: (graph, _site, { plan }) => buildBlockCopy(graph, plan),
    },
    options,
  );
}
