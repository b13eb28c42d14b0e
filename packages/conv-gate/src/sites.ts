import { getLayer, isSingleOutputSite, type ModelGraph } from '@graft/core';

/** Where a gate may go: the layer's single output is `[batch, height, width, channels]`, channels_last. */
export function explainSite(graph: ModelGraph, layer: string): string | undefined {
  const node = getLayer(graph, layer);
  if (node.className === 'InputLayer') return `"${layer}" is a model input; conv-gate grows after a layer`;
  if (!isSingleOutputSite(graph, layer)) return `"${layer}" is called more than once or has several outputs; conv-gate needs a layer with one call and one output`;
  const shape = node.outputShapes?.[0]?.[0];
  if (shape === undefined) return `the output shape of "${layer}" is not known`;
  if (shape.length !== 4) return `output has rank ${shape.length}; conv-gate needs a rank-4 [batch, height, width, channels] output`;
  const channels = shape[3];
  if (typeof channels !== 'number' || channels < 1) return `the channel count of "${layer}" is not fixed; the gate's conv needs it`;
  const channelsFirst = findChannelsFirst(graph, layer);
  if (channelsFirst !== undefined) {
    return `"${channelsFirst}" uses data_format channels_first; conv-gate supports channels_last only (the gate must scale each channel of the last axis)`;
  }
  return undefined;
}

/**
 * The first layer at or upstream of `layer` that declares `data_format: channels_first`. Layers without a
 * data_format (Add, Activation, …) inherit the layout of their inputs, so the whole ancestry is checked.
 */
function findChannelsFirst(graph: ModelGraph, layer: string): string | undefined {
  const pending = [layer];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const node = graph.nodes.find((n) => n.name === name);
    if (node === undefined) continue;
    if (node.config['data_format'] === 'channels_first') return name;
    for (const call of node.inbound) for (const ref of call) pending.push(ref.layer);
  }
  return undefined;
}

/** Every layer after which conv-gate is exact, in graph order. */
export function findGateSites(graph: ModelGraph): string[] {
  return graph.nodes.filter((node) => explainSite(graph, node.name) === undefined).map((node) => node.name);
}
