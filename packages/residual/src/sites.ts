import { channelsFirstAncestor, getLayer, isSingleOutputSite, type ModelGraph } from '@graft/core';

/** Why residual does not apply after `layer`, or `undefined` when it does. */
export function explainSite(graph: ModelGraph, layer: string): string | undefined {
  const node = getLayer(graph, layer);
  if (node.className === 'InputLayer') return `"${layer}" is a model input; residual grows after a layer`;
  if (!isSingleOutputSite(graph, layer)) return `"${layer}" is called more than once or has several outputs; residual needs a layer with one call and one output`;
  const shape = node.outputShapes?.[0]?.[0];
  if (shape === undefined) return `the output shape of "${layer}" is not known`;
  if (shape.length !== 2 && shape.length !== 4) {
    return `output has rank ${shape.length}; residual needs a rank-2 [batch, features] or rank-4 [batch, height, width, channels] output`;
  }
  const width = shape[shape.length - 1];
  if (typeof width !== 'number' || width < 1) return `the last dimension of "${layer}" is not fixed; the branch's last layer needs it`;
  if (shape.length === 4) {
    const channelsFirst = channelsFirstAncestor(graph, layer);
    if (channelsFirst !== undefined) return `"${channelsFirst}" uses data_format channels_first; residual supports channels_last only at rank 4`;
  }
  return undefined;
}

/** Every layer after which residual is exact, in graph order. */
export function findResidualSites(graph: ModelGraph): string[] {
  return graph.nodes.filter((node) => explainSite(graph, node.name) === undefined).map((node) => node.name);
}
