import { GraftError } from '../errors.js';
import type { ModelGraph, TensorRef } from './types.js';

/**
 * Checks that a graph is consistent: unique names, every connection points at an existing call of an earlier
 * layer, inputs are InputLayers, outputs exist.
 *
 * @throws GraftError `DUPLICATE_LAYER` or `INVALID_GRAPH`, naming the first problem found.
 */
export function validateGraph(graph: ModelGraph): void {
  const seen = new Map<string, number>();
  const check = (ref: TensorRef, where: string): void => {
    const calls = seen.get(ref.layer);
    if (calls === undefined) throw new GraftError('INVALID_GRAPH', `${where} reads layer "${ref.layer}", which does not exist before it in graph "${graph.name}".`);
    if (!Number.isInteger(ref.node) || ref.node < 0 || ref.node >= calls) {
      throw new GraftError('INVALID_GRAPH', `${where} reads call ${ref.node} of layer "${ref.layer}", which has ${calls} call(s).`);
    }
  };
  for (const node of graph.nodes) {
    if (seen.has(node.name)) throw new GraftError('DUPLICATE_LAYER', `Graph "${graph.name}" has two layers named "${node.name}"; layer names must be unique.`);
    if (node.className === 'InputLayer') {
      seen.set(node.name, 1);
      continue;
    }
    if (node.inbound.length === 0) throw new GraftError('INVALID_GRAPH', `Layer "${node.name}" is never called; every layer needs at least one input.`);
    node.inbound.forEach((call, i) => {
      if (call.length === 0) throw new GraftError('INVALID_GRAPH', `Call ${i} of layer "${node.name}" has no inputs.`);
      call.forEach((ref) => check(ref, `Layer "${node.name}"`));
    });
    seen.set(node.name, node.inbound.length);
  }
  if (graph.inputs.length === 0 || graph.outputs.length === 0) throw new GraftError('INVALID_GRAPH', `Graph "${graph.name}" needs at least one input and one output.`);
  graph.inputs.forEach((ref) => {
    check(ref, 'The model input');
    const node = graph.nodes.find((n) => n.name === ref.layer);
    if (node?.className !== 'InputLayer') throw new GraftError('INVALID_GRAPH', `Model input "${ref.layer}" must be an InputLayer, found ${node?.className}.`);
  });
  graph.outputs.forEach((ref) => check(ref, 'The model output'));
}
