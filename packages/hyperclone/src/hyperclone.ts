import { integerOption, plannedStrategy, planOrRefuse, replaceLayer, standardOptions, weightValue, type ModelGraph, type ResolvedOptions, type SurgeryStrategy } from '@graft/core';
import { gatherWeight } from './gather.js';
import { planHyperclone, type ClonePlan } from './plan.js';

/** Options of {@link hyperclone}; the same keys may be given per call of `grow` (or `--set` on the CLI). */
export interface HypercloneOptions {
  /** How many copies of every hidden feature: an integer from 2 to 16. Default 2. */
  readonly factor?: number;
  /**
   * Relative noise, from 0 to 1, on the weights that read cloned features: the copies of one input feature get
   * factors (1 + u) whose u sum to 0, so the function is unchanged (up to float rounding) while the copies can
   * learn apart. Default 0: without it, deterministic training keeps the copies identical.
   */
  readonly noise?: number;
  /** Seed of the noise (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

const OPTIONS = { factor: integerOption({ min: 2, max: 16, expected: 'an integer from 2 to 16 (copies of every hidden feature)' }), noise: standardOptions.noise, seed: standardOptions.seed };
const DEFAULTS = { factor: 2, noise: 0, seed: 1 } as const;
type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;

/** How {@link buildClone} adds noise. */
export type CloneNoise = Pick<Resolved, 'noise' | 'seed'>;

/** The grown graph: every planned layer with its widened config and gathered (optionally noised) weights. */
export function buildClone(graph: ModelGraph, plan: ClonePlan, options: CloneNoise = { noise: 0, seed: 1 }): { graph: ModelGraph; added: string[] } {
  let grown = graph;
  let stream = 0;
  for (const [name, rule] of plan.changes) {
    const node = grown.nodes.find((n) => n.name === name)!;
    const weights = node.weights.map((weight) => {
      const recipe = rule.weights?.find((r) => r.name === weight.name);
      if (recipe === undefined) return weight;
      const { values, shape } = gatherWeight(Float32Array.from(weight.values), weight.shape, recipe, options.noise, options.seed + stream++);
      return weightValue(weight.name, shape, values, weight.trainable);
    });
    grown = replaceLayer(grown, name, { config: rule.config ?? node.config, weights });
  }
  return { graph: grown, added: [...plan.changes.keys()] };
}

/**
 * HyperCloning (Samragh et al. 2024): a model-wide strategy that widens every hidden tensor to `factor` uniform
 * copies of itself, `x → [x, x, …]`, while the model's inputs and outputs keep their features: Embedding columns and
 * Dense/conv output units are tiled, kernels reading cloned features are tiled and divided by `factor`, LayerNorm
 * and BatchNorm parameters are tiled (the mean and variance of `[x, x]` are those of `x`), and attention keeps its
 * scores by having wider heads whose query is scaled by 1/factor. Exact up to float rounding.
 *
 * Its one site is `'*'`: `grow(model, hyperclone(), { after: '*' })`. Refuses a model with a layer that reads
 * cloned features and has no exact rule, naming the layer and its class.
 *
 * @throws GraftError `INVALID_OPTION` for a factor that is not an integer from 2 to 16, or noise outside [0, 1].
 */
export function hyperclone(options: HypercloneOptions = {}): SurgeryStrategy<HypercloneOptions> {
  return plannedStrategy(
    {
      name: 'hyperclone',
      description: 'Widen the whole model by uniform cloning: every hidden tensor becomes factor copies of itself (HyperCloning).',
      scope: 'model',
      options: OPTIONS,
      defaults: DEFAULTS,
      plan: (graph, _site, resolved) => planOrRefuse(planHyperclone(graph, resolved.factor)),
      build: (graph, _site, { plan }, resolved) => buildClone(graph, plan, resolved),
    },
    options,
  );
}
