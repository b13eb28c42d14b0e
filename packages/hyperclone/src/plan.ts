import type { LayerNode, ModelGraph, Shape } from '@graft/core';
import { tiled, type Layout } from './layout.js';
import { MIXING, mustStayOriginal, ruleFor, type LayerRule } from './rules.js';

/** How every layer of a model is widened by uniform cloning. */
export interface ClonePlan {
  readonly factor: number;
  /** The rule of every layer whose config or weights change, in graph order. */
  readonly changes: ReadonlyMap<string, LayerRule>;
}

/** Why a model cannot be cloned exactly. */
export interface CloneRefusal {
  readonly reason: string;
}

const shapeOf = (node: LayerNode | undefined): Shape | undefined => node?.outputShapes?.[0]?.[0];

/** A Dot of two rank-3 tensors over their last axes (attention scores): its output has no feature axis to clone. */
function contractsFeatures(graph: ModelGraph, node: LayerNode): boolean {
  if (node.className !== 'Dot') return false;
  const ranks = (node.inbound[0] ?? []).map((ref) => shapeOf(graph.nodes.find((n) => n.name === ref.layer))?.length);
  const raw = node.config['axes'];
  const axes = Array.isArray(raw) ? raw : [raw, raw];
  return ranks.length === 2 && ranks.every((rank) => rank === 3) && axes.every((axis) => axis === 2 || axis === -1);
}

/**
 * The layers whose outputs must keep the source's features: the model's outputs, any softmax over features, and,
 * backwards from those, everything they are computed from feature by feature, up to the layers that mix features
 * with a kernel (Dense, conv, Embedding), which can read cloned features and write original ones, and up to
 * attention scores, which sum over the features of cloned queries and keys.
 */
function originalOutputs(graph: ModelGraph): Set<string> {
  const keep = new Set<string>(graph.outputs.map((ref) => ref.layer));
  for (const node of graph.nodes) if (mustStayOriginal(node)) keep.add(node.name);
  for (const node of [...graph.nodes].reverse()) {
    if (!keep.has(node.name) || MIXING.has(node.className) || contractsFeatures(graph, node)) continue;
    for (const call of node.inbound) for (const ref of call) keep.add(ref.layer);
  }
  return keep;
}


/**
 * Plans HyperCloning: every hidden tensor becomes `factor` copies of itself side by side, `[x, x, …]`, while the
 * model's inputs and outputs keep their features. Walking the graph in order, each layer gets the layout of its
 * output from the layouts of its inputs (see `ruleFor`); a Dot of two cloned tensors (attention scores) has its
 * query scaled by 1/factor. Returns the reason instead when a layer has no exact rule, is shared, or nothing is
 * left to clone.
 *
 * @param widen the layout each widened layer writes; only tests pass another (uneven Net2Net-style replication, to
 *   show that the exactness check catches it).
 */
export function planHyperclone(graph: ModelGraph, factor: number, widen: (width: number) => Layout = (width) => tiled(width, factor)): ClonePlan | CloneRefusal {
  const byName = new Map(graph.nodes.map((node) => [node.name, node] as const));
  const keep = originalOutputs(graph);
  const layouts = new Map<string, Layout>();
  const changes = new Map<string, LayerRule>();
  for (const node of graph.nodes) {
    if (node.className !== 'InputLayer' && node.inbound.length !== 1) return { reason: `layer "${node.name}" (${node.className}) is shared (called ${node.inbound.length} times); hyperclone widens layers called once` };
    const refs = node.inbound[0] ?? [];
    if (refs.some((ref) => ref.tensor !== 0 || ref.node !== 0)) return { reason: `layer "${node.name}" reads a second output of a layer; hyperclone handles single-output layers` };
    const inputShapes = refs.map((ref) => shapeOf(byName.get(ref.layer)));
    if (inputShapes.some((shape) => shape === undefined)) return { reason: `the input shapes of layer "${node.name}" are not known` };
    const rule = ruleFor({ graph, node, inputs: refs.map((ref) => layouts.get(ref.layer)!), inputShapes: inputShapes as Shape[], keepOriginal: keep.has(node.name), factor, widen });
    if ('reason' in rule) return rule;
    layouts.set(node.name, rule.output);
    if (rule.weights !== undefined || rule.config !== undefined) changes.set(node.name, rule);
    if (rule.scaleProducer !== undefined) {
      const query = changes.get(rule.scaleProducer)!;
      if (query.output.kind === 'original' || query.weights === undefined) return { reason: `the query "${rule.scaleProducer}" of "${node.name}" is not cloned` };
      changes.set(rule.scaleProducer, { ...query, weights: query.weights.map((w) => ({ ...w, scale: w.scale / factor })) });
    }
  }
  const cloned = graph.outputs.find((ref) => layouts.get(ref.layer)?.kind === 'cloned');
  if (cloned !== undefined) return { reason: `the model output "${cloned.layer}" would be cloned` };
  if (![...layouts.values()].some((layout) => layout.kind === 'cloned')) return { reason: 'no hidden tensor can be cloned: no Dense, conv or Embedding writes features that reach a mixing layer' };
  return { factor, changes };
}
