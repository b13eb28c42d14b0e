import { dense, insertAfter, layerNamer, plannedStrategy, replaceLayer, seededRandom, weightValue, type ApplyResult, type ModelGraph, type Site, type SurgeryStrategy } from '@graft/core';
import { DEFAULTS, OPTIONS, type DenseIdentityOptions, type Resolved } from './options.js';
import { planSite, type SitePlan } from './site-plan.js';

/**
 * Bias of each extra unit under ReLU. With non-negative inputs and non-negative incoming weights, the extra units'
 * pre-activations are then ≥ this value for every input, so they start in ReLU's linear region and cannot be dead.
 */
export const EXTRA_RELU_BIAS = 0.01;

/**
 * Identity kernel `[n, m] = [I | R]` (plus optional noise on the `I` block) and bias `[0 … 0 | b]`.
 *
 * The extra columns `R` are small and random, not zero: the extra units' outputs are then non-zero, so their zero
 * outgoing rows get a gradient at the first optimizer step, and once those rows are non-zero the incoming weights
 * `R` get one at the second. All-zero extras would stay zero forever (no gradient reaches either side).
 */
export function identityWeights(plan: SitePlan, options: Resolved): { kernel: Float32Array; bias: Float32Array } {
  const { width: n, units: m } = plan;
  const random = seededRandom(options.seed);
  const kernel = new Float32Array(n * m);
  const bias = new Float32Array(m);
  // About a third of LeCun-uniform's variance: large enough to learn, small next to the identity block.
  const scale = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    kernel[i * m + i] = 1;
    for (let j = n; j < m; j++) {
      // Under ReLU the inputs are ≥ 0; non-negative weights plus a positive bias keep the extras alive.
      kernel[i * m + j] = plan.activation === 'relu' ? random() * scale : (2 * random() - 1) * scale;
    }
  }
  if (plan.activation === 'relu') bias.fill(EXTRA_RELU_BIAS, n);
  if (options.noise > 0) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) kernel[i * m + j]! += (2 * random() - 1) * options.noise;
  }
  return { kernel, bias };
}

/** Appends `units - width` zero rows to each consumer's kernel, so the extra units contribute exactly nothing. */
function addZeroRows(graph: ModelGraph, plan: SitePlan): ModelGraph {
  let result = graph;
  for (const consumer of plan.consumers) {
    const weights = consumer.weights.map((w) => {
      if (w.name !== 'kernel') return w;
      const outputs = w.shape[1]!;
      const values = new Float32Array(plan.units * outputs);
      values.set(w.values);
      return weightValue('kernel', [plan.units, outputs], values, w.trainable);
    });
    result = replaceLayer(result, consumer.name, { weights });
  }
  return result;
}

function applyPlan(graph: ModelGraph, _site: Site, plan: SitePlan, options: Resolved): ApplyResult {
  const { kernel, bias } = identityWeights(plan, options);
  const layer = dense({ name: layerNamer(graph)(`${plan.after}_identity`), input: plan.after, inputWidth: plan.width, units: plan.units, activation: plan.activation, kernel, bias });
  // Consumers are reported too: their zero rows are new weights that training must be allowed to move.
  return { graph: addZeroRows(insertAfter(graph, plan.after, [layer]), plan), added: [layer.name, ...plan.consumers.map((c) => c.name)] };
}

/**
 * Net2DeeperNet for dense layers: inserts `Dense(n, identity kernel, zero bias)` after a layer with a rank-2 `[batch, n]` or rank-3 `[batch, steps, n]` output,
 * with the activation that is exact for the incoming values (ReLU where they are provably ≥ 0, linear otherwise).
 * With `units` > n it also widens, giving the consumers zero rows for the extra units.
 *
 * @example
 * ```ts
 * const { model: grown } = await grow(model, denseIdentity(), { after: 'hidden' });
 * const wider = await grow(model, denseIdentity({ units: 32 }), { after: 'hidden' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is unknown or out of range.
 */
export function denseIdentity(options: DenseIdentityOptions = {}): SurgeryStrategy<DenseIdentityOptions> {
  const description = 'Insert Dense(n) with an identity kernel after a rank-2 or rank-3 (per step) layer (ReLU where the input is non-negative); optionally wider, with zero outgoing rows. Exact.';
  return plannedStrategy({ name: 'dense-identity', description, options: OPTIONS, defaults: DEFAULTS, plan: planSite, build: applyPlan }, options);
}
