import type * as tf from '@tensorflow/tfjs';
import { findSites, MODEL_WIDE_SITE, type SurgeryStrategy, toGraph } from '@graft/core';

/** One row of the page's layer table. */
export interface LayerRow {
  readonly name: string;
  readonly className: string;
  /** Output shape of the first call, e.g. `[null, 26, 26, 32]`. */
  readonly outputShape: string;
  readonly parameters: number;
  /** Names of the strategies that can grow the model right after this layer. */
  readonly strategies: readonly string[];
}

/**
 * The layers of `model` in topological order, with where each strategy applies; first, when a model-wide strategy
 * applies, a row for the whole model (site `"*"`).
 */
export function layerRows(model: tf.LayersModel, strategies: readonly SurgeryStrategy[]): LayerRow[] {
  const graph = toGraph(model);
  const sites = new Map(strategies.map((s) => [s.name, new Set(findSites(graph, s))]));
  const offers = (name: string) => strategies.filter((s) => sites.get(s.name)?.has(name) === true).map((s) => s.name);
  const wide = offers(MODEL_WIDE_SITE);
  const whole: LayerRow[] = wide.length === 0 ? [] : [{ name: MODEL_WIDE_SITE, className: '(whole model)', outputShape: '', parameters: model.countParams(), strategies: wide }];
  return [...whole, ...graph.nodes.map((node) => ({
    name: node.name,
    className: node.className,
    outputShape: JSON.stringify(node.outputShapes?.[0]?.[0] ?? []),
    parameters: node.weights.reduce((n, w) => n + w.values.length, 0),
    strategies: offers(node.name),
  }))];
}
