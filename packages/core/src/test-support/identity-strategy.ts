import { isSingleOutputSite, outputShapeOf, uniqueLayerName } from '../graph/queries.js';
import type { ModelGraph } from '../graph/types.js';
import type { SurgeryStrategy } from '../strategy.js';
import { insertAfter, weightValue } from '../surgery/surgery.js';

/**
 * A minimal strategy for core's own tests (core never depends on a real strategy package): a linear identity
 * Dense after any rank-2 single-call layer up to 512 wide (wider ones would make the tests slow, not better).
 */
export function linearIdentityForTests(): SurgeryStrategy {
  const sites = (graph: ModelGraph) =>
    graph.nodes
      .filter((n) => isSingleOutputSite(graph, n.name) && outputShapeOf(graph, n.name).length === 2 && (outputShapeOf(graph, n.name)[1] ?? 0) <= 512)
      .map((n) => n.name);
  return {
    name: 'test-linear-identity',
    description: 'Linear identity Dense after rank-2 layers (test only).',
    findSites: sites,
    explain: (graph, layer) => (sites(graph).includes(layer) ? undefined : 'output is not rank 2 (or wider than 512)'),
    apply(graph, site) {
      const width = outputShapeOf(graph, site.after)[1] as number;
      const kernel = new Float32Array(width * width);
      for (let i = 0; i < width; i++) kernel[i * width + i] = 1;
      const name = uniqueLayerName(graph, `${site.after}_identity`);
      const next = insertAfter(graph, site.after, [
        {
          name,
          className: 'Dense',
          config: { units: width, activation: 'linear', use_bias: true },
          inbound: [[{ layer: site.after, node: 0, tensor: 0 }]],
          weights: [weightValue('kernel', [width, width], kernel), weightValue('bias', [width], new Float32Array(width))],
        },
      ]);
      return { graph: next, added: [name] };
    },
  };
}
