import {
  addLayersBefore,
  integerOption,
  layerNamer,
  merge,
  outputShapeOf,
  planOrRefuse,
  plannedStrategy,
  replaceLayer,
  seededRandom,
  standardOptions,
  tensorRef,
  weightValue,
  type ApplyResult,
  type ModelGraph,
  type NewLayer,
  type SurgeryStrategy,
  type WeightValue,
} from '@graft/core';
import { planAddHeads, type HeadsPlan } from './plan.js';

/** Options of {@link addHeads}; the same keys may be given per call of `grow` (or `--set` on the CLI). */
export interface AddHeadsOptions {
  /** How many heads to add: an integer from 1 to 64. Default 1. */
  readonly heads?: number;
  /** Seed of the new heads' random query, key and value kernels (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

const OPTIONS = { heads: integerOption({ min: 1, max: 64, expected: 'an integer from 1 to 64 (heads to add)' }), seed: standardOptions.seed };
const DEFAULTS = { heads: 1, seed: 1 } as const;

/** Seeded N(0, std²) values (Box–Muller). */
function normal(count: number, std: number, random: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = std * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return out;
}

const rms = (values: ArrayLike<number>): number => Math.sqrt(Array.from(values).reduce((sum, v) => sum + v * v, 0) / Math.max(values.length, 1));

/**
 * A new head's weights: Dense kernels random with the template's scale (its root mean square, so the new head's
 * scores are as sharp as the trained ones'), Dense biases zero, any other weight copied.
 */
function freshWeights(className: string, weights: readonly WeightValue[], random: () => number): WeightValue[] {
  return weights.map((w) => {
    if (className !== 'Dense') return weightValue(w.name, w.shape, w.values.slice(), w.trainable);
    const values = w.name === 'kernel' ? normal(w.values.length, rms(w.values) || 0.02, random) : new Float32Array(w.values.length);
    return weightValue(w.name, w.shape, values, w.trainable);
  });
}

/** `block_0_head_0_query` → `block_0_head_4_query` for head 4; names without `head_<n>` get `_head_<n>` appended. */
function headName(name: string, index: number): string {
  return /head_\d+/.test(name) ? name.replace(/head_\d+/, `head_${index}`) : `${name}_head_${index}`;
}

function build(graph: ModelGraph, plan: HeadsPlan, heads: number, seed: number): ApplyResult {
  const name = layerNamer(graph);
  const random = seededRandom(seed);
  const layers: NewLayer[] = [];
  const exits: string[] = [];
  for (let j = 0; j < heads; j++) {
    const renamed = new Map<string, string>();
    for (const layer of plan.template.layers) {
      const node = graph.nodes.find((n) => n.name === layer)!;
      const fresh = name(headName(layer, plan.heads + j));
      renamed.set(layer, fresh);
      const inbound = node.inbound.map((call) => call.map((ref) => (renamed.has(ref.layer) ? tensorRef(renamed.get(ref.layer)!) : ref)));
      layers.push({ name: fresh, className: node.className, config: node.config, inbound, weights: freshWeights(node.className, node.weights, random) });
    }
    exits.push(renamed.get(plan.template.exit)!);
  }
  const headWidth = outputShapeOf(graph, plan.template.exit).at(-1) as number;
  let grown: ModelGraph;
  const added = layers.map((l) => l.name);
  if (plan.join !== undefined) {
    const join = graph.nodes.find((n) => n.name === plan.join)!;
    grown = replaceLayer(addLayersBefore(graph, plan.join, layers), plan.join, { inbound: [[...join.inbound[0]!, ...exits.map(tensorRef)]] });
  } else {
    const concat = merge('Concatenate', name(plan.projection.replace(/_proj$/, '') + '_concat'), [plan.joined[0]!, ...exits]);
    grown = replaceLayer(addLayersBefore(graph, plan.projection, [...layers, concat]), plan.projection, { inbound: [[tensorRef(concat.name)]] });
    added.push(concat.name);
  }
  // The new heads' rows of the output projection are zero: the block's output is unchanged whatever they compute.
  const projection = grown.nodes.find((n) => n.name === plan.projection)!;
  const weights = projection.weights.map((w) => {
    if (w.name !== 'kernel') return w;
    const [rows, units] = w.shape as [number, number];
    const values = new Float32Array((rows + heads * headWidth) * units);
    values.set(w.values);
    return weightValue('kernel', [rows + heads * headWidth, units], values, w.trainable);
  });
  return { graph: replaceLayer(grown, plan.projection, { weights }), added: [...added, plan.projection] };
}

/**
 * More attention heads in one transformer block: at the block's output projection (a Dense reading the heads'
 * outputs, joined by a Concatenate), adds `heads` new heads shaped like the first one (query, key and value Dense of
 * the same head size, the same scores, scaling, mask and softmax), with random query, key and value kernels, and
 * appends zero rows for them to the projection's kernel, so the block computes exactly what it did for any values of
 * the new heads. The zero rows get gradient at the first step, the new heads from the second.
 *
 * @throws GraftError `INVALID_OPTION` for a number of heads that is not an integer from 1 to 64.
 */
export function addHeads(options: AddHeadsOptions = {}): SurgeryStrategy<AddHeadsOptions> {
  return plannedStrategy(
    {
      name: 'add-heads',
      description: 'Add attention heads to a transformer block, with zero rows in its output projection.',
      options: OPTIONS,
      defaults: DEFAULTS,
      plan: (graph, layer) => planOrRefuse(planAddHeads(graph, layer)),
      build: (graph, _site, { plan }, resolved) => build(graph, plan, resolved.heads, resolved.seed),
    },
    options,
  );
}
