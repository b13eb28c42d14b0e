import * as tf from '@tensorflow/tfjs';
import { mnistSeed } from '@graft/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerRows } from './layer-table.js';
import { pageStrategies } from './strategies.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('layerRows', () => {
  it('lists every layer with its shape, parameters and the strategies that grow after it, and the whole model first', () => {
    const model = mnistSeed();
    const rows = layerRows(model, pageStrategies());
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(rows.filter((r) => r.name !== '*').map((r) => r.name)).toEqual(['conv_input', 'conv', 'flatten', 'hidden', 'output']);
    expect(byName.get('hidden')).toMatchObject({ className: 'Dense', outputShape: '[null,20]', parameters: 21632 * 20 + 20 });
    expect(byName.get('hidden')?.strategies).toEqual(expect.arrayContaining(['dense-identity', 'widen']));
    expect(byName.get('conv')?.strategies).toContain('conv-gate');
    expect(byName.get('conv')?.strategies).not.toContain('dense-identity');
    const wide = byName.get('*');
    if (wide !== undefined) {
      expect(rows[0]).toBe(wide);
      expect(wide.parameters).toBe(model.countParams());
    }
    model.dispose();
  });
});
