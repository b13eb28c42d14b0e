import { insertAfter, layerNamer, tensorRef, weightValue, type ModelGraph, type NewLayer } from '@graft/core';
import type { BlockCopyPlan } from './plan.js';

/** How the copy is made; `zeroExit: false` exists only so tests can show that the zeroing is what makes it exact. */
export interface CopySettings {
  readonly zeroExit: boolean;
}

/**
 * The grown graph: after `plan.insertAfter`, a copy of every step's branch (weights copied, the last weighted
 * layers zeroed) reading the current stream, and a new Add of the stream and the copy's exit. Copies are named
 * `<layer>_copy` (`_copy_2`, … when taken).
 */
export function buildBlockCopy(graph: ModelGraph, plan: BlockCopyPlan, settings: CopySettings = { zeroExit: true }): { graph: ModelGraph; added: string[] } {
  const namer = layerNamer(graph);
  const nameFor = (name: string): string => namer(`${name}_copy`);
  const layers: NewLayer[] = [];
  let stream = plan.insertAfter;
  for (const { residual, zero } of plan.steps) {
    const copies = new Map<string, string>();
    for (const name of residual.branch.layers) {
      const node = graph.nodes.find((n) => n.name === name)!;
      const copy = nameFor(name);
      copies.set(name, copy);
      const zeroed = settings.zeroExit ? (zero.get(name) ?? []) : [];
      const weights = node.weights.map((w) => weightValue(w.name, w.shape, zeroed.includes(w.name) ? new Float32Array(w.values.length) : w.values.slice(), w.trainable));
      const inbound = node.inbound.map((call) => call.map((r) => (r.layer === residual.stream ? tensorRef(stream) : copies.has(r.layer) ? { ...r, layer: copies.get(r.layer)! } : r)));
      layers.push({ name: copy, className: node.className, config: node.config, inbound, weights });
    }
    const add = graph.nodes.find((n) => n.name === residual.add)!;
    const addCopy = nameFor(residual.add);
    layers.push({ name: addCopy, className: 'Add', config: add.config, inbound: [[tensorRef(stream), tensorRef(copies.get(residual.branch.exit)!)]], weights: [] });
    stream = addCopy;
  }
  return { graph: insertAfter(graph, plan.insertAfter, layers), added: layers.map((l) => l.name) };
}
