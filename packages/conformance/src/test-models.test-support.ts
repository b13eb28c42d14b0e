// Small helpers for the suite's own tests: fixture models grown with the sample strategies.
import * as tf from '@tensorflow/tfjs';
import { grow, type SurgeryStrategy } from '@graft/core';
import { getFixture, randomInputs } from '@graft/fixtures';

/** A fixture's source model, its seeded random inputs, and a model grown from it after `site`. */
export interface Grown {
  readonly source: tf.LayersModel;
  readonly grown: tf.LayersModel;
  readonly added: string[];
  readonly inputs: tf.Tensor[];
  dispose(): void;
}

export async function growFixture(fixtureName: string, strategy: SurgeryStrategy, site: string): Promise<Grown> {
  const fixture = getFixture(fixtureName);
  const source = fixture.build();
  const inputs = randomInputs(fixture, 8, 1);
  const { model: grown, added } = await grow(source, strategy, { after: site });
  return { source, grown, added, inputs, dispose: () => { source.dispose(); grown.dispose(); tf.dispose(inputs); } };
}

/** Sets every value of the first weight of `layer` to `value` (NaN, say), to make a model that must fail. */
export function poison(model: tf.LayersModel, layer: string, value: number): void {
  const target = model.getLayer(layer);
  const [first, ...rest] = target.getWeights();
  if (first === undefined) throw new Error(`Layer ${layer} has no weights.`);
  const filled = tf.fill(first.shape, value);
  target.setWeights([filled, ...rest]);
  filled.dispose();
}
