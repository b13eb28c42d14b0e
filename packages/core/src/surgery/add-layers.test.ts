import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { fromGraph } from '../graph/from-graph.js';
import { toGraph } from '../graph/to-graph.js';
import { addLayersBefore, replaceLayer } from './surgery.js';

const ref = (layer: string) => ({ layer, node: 0, tensor: 0 });

describe('addLayersBefore and replaceLayer with new inputs', () => {
  it('add a second path that a merge then reads, leaving the given graph as it was', async () => {
    const model = getFixture('multi-input-multi-output').build();
    const graph = toGraph(model);
    const concat = graph.nodes.find((n) => n.name === 'concat')!;
    const added = addLayersBefore(graph, 'concat', [{ name: 'extra', className: 'Dense', config: { units: 2, activation: 'linear', use_bias: true }, inbound: [[ref('left')]] }]);
    expect(added.nodes.findIndex((n) => n.name === 'extra')).toBe(added.nodes.findIndex((n) => n.name === 'concat') - 1);
    // Nothing reads it yet; the Concatenate now does.
    expect(added.nodes.some((n) => n.inbound.some((call) => call.some((r) => r.layer === 'extra')))).toBe(false);
    const joined = replaceLayer(added, 'concat', { inbound: [[...concat.inbound[0]!, ref('extra')]] });
    expect(graph.nodes.find((n) => n.name === 'concat')!.inbound[0]).toHaveLength(2);
    expect(joined.nodes.find((n) => n.name === 'concat')!.inbound[0]!.map((r) => r.layer)).toEqual(['dense_1', 'dense_3', 'extra']);
    expect(() => replaceLayer(joined, 'dense_1', { inbound: [[ref('concat')]] })).toThrow(/does not exist before it/);
    model.dispose();
    // The Dense after the Concatenate now reads 12 features: give it matching weights to rebuild.
    const trunk = joined.nodes.find((n) => n.name === 'dense_5')!;
    const kernel = trunk.weights[0]!;
    const widened = replaceLayer(joined, 'dense_5', { weights: [{ ...kernel, shape: [12, 8], values: new Float32Array(96) }, trunk.weights[1]!] });
    const rebuilt = await fromGraph(widened);
    expect(rebuilt.getLayer('dense_5').getWeights()[0]!.shape).toEqual([12, 8]);
    rebuilt.dispose();
  });
});
