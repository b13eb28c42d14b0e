import { conv, insertAfter, layerNamer, plannedStrategy, seededRandom, type ApplyResult, type ModelGraph, type Site, type SurgeryStrategy } from '@graft/core';
import { DEFAULTS, OPTIONS, type ConvIdentityOptions, type Resolved } from './options.js';
import { planSite, type SitePlan } from './site-plan.js';

/**
 * Centre-tap identity kernel `[k, k, C, C]` (`[k, C, C]` for Conv1D): 1 at the centre tap's `(c, c)` entries, every
 * other entry 0 (plus optional noise on the centre tap's `C × C` block). With stride 1 and same padding, each
 * output position reads its own input position through the centre tap and nothing else.
 */
export function identityKernel(plan: SitePlan, options: Resolved): Float32Array {
  const { kernelSize: k, channels: c } = plan;
  const spatialDims = plan.rank - 2;
  const kernel = new Float32Array(k ** spatialDims * c * c);
  let centreTap = 0;
  for (let d = 0; d < spatialDims; d++) centreTap = centreTap * k + Math.floor(k / 2);
  const centre = centreTap * c * c;
  for (let ch = 0; ch < c; ch++) kernel[centre + ch * c + ch] = 1;
  if (options.noise > 0) {
    const random = seededRandom(options.seed);
    for (let i = 0; i < c * c; i++) kernel[centre + i]! += (2 * random() - 1) * options.noise;
  }
  return kernel;
}

function applyPlan(graph: ModelGraph, _site: Site, plan: SitePlan, options: Resolved): ApplyResult {
  const { kernelSize, channels } = plan;
  const name = layerNamer(graph)(`${plan.after}_identity`);
  const layer = conv({ name, input: plan.after, rank: plan.rank, inputWidth: channels, filters: channels, kernelSize, activation: plan.activation, kernel: identityKernel(plan, options) });
  return { graph: insertAfter(graph, plan.after, [layer]), added: [name] };
}

/**
 * Net2DeeperNet for convolutions: inserts `Conv2D(C, k×k, stride 1, same padding)` with a centre-tap identity kernel
 * and zero bias after a layer with a channels_last rank-4 output (`Conv1D(C, k)` after a convolved rank-3 sequence), with the activation that is exact for the incoming
 * values (ReLU where they are provably ≥ 0, linear otherwise).
 *
 * @example
 * ```ts
 * const { model: deeper } = await grow(model, convIdentity(), { after: 'conv' });
 * const wide = await grow(model, convIdentity({ kernelSize: 5 }), { after: 'conv' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is unknown or out of range (an even `kernelSize`, for one).
 */
export function convIdentity(options: ConvIdentityOptions = {}): SurgeryStrategy<ConvIdentityOptions> {
  const description = 'Insert Conv2D(C, k×k) or Conv1D(C, k), same padding, with a centre-tap identity kernel after a channels_last conv output (ReLU where the input is non-negative). Exact.';
  return plannedStrategy({ name: 'conv-identity', description, options: OPTIONS, defaults: DEFAULTS, plan: planSite, build: applyPlan }, options);
}
