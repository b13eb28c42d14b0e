import { getLayer, plannedStrategy, refuse, replaceLayer, seededRandom, weightValue } from '@graft/core';
import type { ApplyResult, LayerNode, ModelGraph, Site, SiteRefusal, SurgeryStrategy, WeightValue } from '@graft/core';
import { DEFAULTS, EXCLUSIVE, OPTIONS, targetWidth, type Resolved, type WidenOptions } from './options.js';
import { planWidening, type WidenPlan } from './plan.js';
import { flattenReplication, gatherAxis, perturbNewUnits, replicationMapping, uniformReplication } from './replication.js';
import type { Replication } from './replication.js';

function gatherWeight(weight: WeightValue, axis: number, replication: Replication, divide: boolean): WeightValue {
  const { values, shape } = gatherAxis(weight.values as Float32Array, weight.shape, axis, replication, divide);
  return weightValue(weight.name, shape, values, weight.trainable);
}

/** The widened layer itself: replicated kernel columns (or filters) and biases, with optional noise on the new ones. */
function widenSite(node: LayerNode, replication: Replication, noise: number, seed: number): WeightValue[] {
  const n = replication.oldSize;
  const m = replication.sources.length;
  return node.weights.map((weight, i) => {
    const widened = gatherWeight(weight, weight.shape.length - 1, replication, false);
    // A different stream per weight, and none shared with the mapping's choice of units.
    const values = perturbNewUnits(widened.values as Float32Array, m, n, noise, seed + 1 + i);
    return weightValue(weight.name, widened.shape, values, weight.trainable);
  });
}

/** What widen builds from: the layers to change, and the target width m. */
interface Widening {
  readonly plan: WidenPlan;
  readonly m: number;
}

function planWiden(graph: ModelGraph, layer: string, options: Resolved): (Widening & { readonly ok: true }) | SiteRefusal {
  const planned = planWidening(graph, layer);
  if ('reason' in planned) return refuse(planned.reason);
  const m = targetWidth(options, planned.plan.width);
  if (typeof m !== 'number') return m;
  const { width, uniform } = planned.plan;
  if (uniform && m % width !== 0) {
    return refuse(`a LayerNormalization reads the ${width} units; copying some of them more often than others would change its mean and variance — widen to a multiple of ${width} (e.g. ${2 * width}), so every unit is copied equally`, 'NOT_EXACT');
  }
  return { ok: true, plan: planned.plan, m };
}

function applyWiden(graph: ModelGraph, _site: Site, { plan, m }: Widening, options: Resolved): ApplyResult {
  const node = getLayer(graph, plan.site);
  const replication = plan.uniform ? uniformReplication(plan.width, m) : replicationMapping(plan.width, m, seededRandom(options.seed));
  const sizeKey = node.className === 'Dense' ? 'units' : 'filters';
  let widened = replaceLayer(graph, plan.site, { config: { ...node.config, [sizeKey]: m }, weights: widenSite(node, replication, options.noise, options.seed) });
  for (const step of plan.steps) {
    const layer = getLayer(widened, step.layer);
    const along = flattenReplication(replication, step.spatial);
    const weights = step.kind === 'per-unit'
      ? layer.weights.map((w) => gatherWeight(w, 0, along, false))
      : layer.weights.map((w) => (w.name === 'kernel' ? gatherWeight(w, step.axis, along, true) : w));
    widened = replaceLayer(widened, step.layer, { weights });
  }
  return { graph: widened, added: [plan.site] };
}

/**
 * Net2WiderNet: widens a Dense or Conv2D layer from n to m units (filters) by copying randomly chosen units, and
 * divides what each copy feeds forward by its number of copies, so the model computes the same function (up to
 * float rounding) while `noise` is 0.
 *
 * The site `{ after: L }` names the layer to widen. `apply` changes L (config `units`/`filters`, kernel, bias), every
 * BatchNormalization between L and the layers that mix units (its four per-unit weights are copied the same way),
 * and those mixing Dense / Conv2D consumers (their input rows are copied and divided); it creates no layer and
 * reports `added: [L]`. Options given to `grow` (or the CLI's `--set`) override the factory's; a per-call `units`
 * or `factor` replaces both size options of the factory.
 *
 * @example
 * ```ts
 * const { model: wider } = await grow(model, widen({ units: 48 }), { after: 'conv' });
 * ```
 * @throws GraftError `INVALID_OPTION` for bad options (at creation, or in `apply` when `units` ≤ the layer's width);
 * `SITE_NOT_OFFERED` from `apply` where {@link SurgeryStrategy.explain} gives a reason.
 */
export function widen(options: WidenOptions = {}): SurgeryStrategy<WidenOptions> {
  const description = 'Widen a Dense (also per token), Conv1D or Conv2D layer by replicating units and dividing their outgoing weights (Net2WiderNet).';
  return plannedStrategy({ name: 'widen', description, options: OPTIONS, defaults: DEFAULTS, exclusive: EXCLUSIVE, plan: planWiden, build: applyWiden }, options);
}
