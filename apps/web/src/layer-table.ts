import type * as tf from '@tensorflow/tfjs';
import { findSites, type SurgeryStrategy, toGraph } from '@graft/core';

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

/** The layers of `model` in topological order, with where each strategy applies. */
export function layerRows(model: tf.LayersModel, strategies: readonly SurgeryStrategy[]): LayerRow[] {
  const graph = toGraph(model);
  const sites = new Map(strategies.map((s) => [s.name, new Set(findSites(graph, s))]));
  return graph.nodes.map((node) => ({
    name: node.name,
    className: node.className,
    outputShape: JSON.stringify(node.outputShapes?.[0]?.[0] ?? []),
    parameters: node.weights.reduce((n, w) => n + w.values.length, 0),
    strategies: strategies.filter((s) => sites.get(s.name)?.has(node.name) === true).map((s) => s.name),
  }));
}

/** Sites `strategy` offers in `model`. */
export function sitesOf(model: tf.LayersModel, strategy: SurgeryStrategy): string[] {
  return findSites(model, strategy);
}
