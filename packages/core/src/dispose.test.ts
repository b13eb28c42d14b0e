import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { disposeModel } from './dispose.js';
import { fromGraph } from './graph/from-graph.js';
import { toGraph } from './graph/to-graph.js';

describe('disposeModel', () => {
  it('releases every weight of a model with a shared layer, where model.dispose() does not', async () => {
    const source = getFixture('shared-layer').build();
    const graph = toGraph(source);
    const before = tf.memory().numTensors;
    const plain = await fromGraph(graph);
    plain.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(before); // the tfjs behaviour this helper exists for
    const leaked = tf.memory().numTensors - before;
    const rebuilt = await fromGraph(graph);
    disposeModel(rebuilt);
    expect(tf.memory().numTensors - before).toBe(leaked);
    source.dispose();
  });
});
