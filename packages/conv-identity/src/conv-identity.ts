import {
  plannedStrategy,
  insertAfter,
  seededRandom,
  uniqueLayerName,
  weightValue,
  type ApplyResult,
  type ModelGraph,
  type SurgeryStrategy,
} from '@graft/core';
import { parseOptions, type ConvIdentityOptions, type ResolvedOptions } from './options.js';
import { planSite, type SitePlan } from './site-plan.js';

/**
 * Centre-tap identity kernel `[k, k, C, C]`: `K[⌊k/2⌋, ⌊k/2⌋, c, c] = 1`, every other entry 0 (plus optional noise on
 * the centre tap's `C × C` block). With stride 1 and same padding, output pixel (i, j) reads input pixel (i, j)
 * through the centre tap and nothing else.
 */
export function identityKernel(plan: SitePlan, options: ResolvedOptions): Float32Array {
  const { kernelSize: k, channels: c } = plan;
  const kernel = new Float32Array(k * k * c * c);
  const centre = (Math.floor(k / 2) * k + Math.floor(k / 2)) * c * c;
  for (let ch = 0; ch < c; ch++) kernel[centre + ch * c + ch] = 1;
  if (options.noise > 0) {
    const random = seededRandom(options.seed);
    for (let i = 0; i < c * c; i++) kernel[centre + i]! += (2 * random() - 1) * options.noise;
  }
  return kernel;
}

function applyPlan(graph: ModelGraph, plan: SitePlan, options: ResolvedOptions): ApplyResult {
  const name = uniqueLayerName(graph, `${plan.after}_identity`);
  const { kernelSize: k, channels: c } = plan;
  const layer = {
    name,
    className: 'Conv2D',
    config: {
      filters: c,
      kernel_size: [k, k],
      strides: [1, 1],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: plan.activation,
      use_bias: true,
      trainable: true,
      dtype: 'float32',
    },
    inbound: [[{ layer: plan.after, node: 0, tensor: 0 }]],
    weights: [weightValue('kernel', [k, k, c, c], identityKernel(plan, options)), weightValue('bias', [c], new Float32Array(c))],
  };
  return { graph: insertAfter(graph, plan.after, [layer]), added: [name] };
}

/**
 * Net2DeeperNet for convolutions: inserts `Conv2D(C, k×k, stride 1, same padding)` with a centre-tap identity kernel
 * and zero bias after a layer with a channels_last rank-4 output, with the activation that is exact for the incoming
 * values (ReLU where they are provably ≥ 0, linear otherwise).
 *
 * @example
 * ```ts
 * const { model: deeper } = await grow(model, convIdentity(), { after: 'conv' });
 * const wide = await grow(model, convIdentity({ kernelSize: 5 }), { after: 'conv' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is unknown or out of range (an even `kernelSize`, for one).
 */
export function convIdentity(options: ConvIdentityOptions = {}): SurgeryStrategy {
  return plannedStrategy(
    {
      name: 'conv-identity',
      description: 'Insert Conv2D(C, k×k, same padding) with a centre-tap identity kernel after a channels_last rank-4 layer (ReLU where the input is non-negative). Exact.',
      options: parseOptions,
      plan: planSite,
      build: (graph, _site, plan, resolved) => applyPlan(graph, plan, resolved),
    },
    options,
  );
}
