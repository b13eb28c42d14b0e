import { channelsFirstAncestor, getLayer, isSingleOutputSite, type ModelGraph } from '@graft/core';

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
  const channelsFirst = channelsFirstAncestor(graph, layer);
  if (channelsFirst !== undefined) {
    return `"${channelsFirst}" uses data_format channels_first; conv-gate supports channels_last only (the gate must scale each channel of the last axis)`;
  }
  return undefined;
}

/** Every layer after which conv-gate is exact, in graph order. */
export function findGateSites(graph: ModelGraph): string[] {
  return graph.nodes.filter((node) => explainSite(graph, node.name) === undefined).map((node) => node.name);
}
