import * as tf from '@tensorflow/tfjs';
import { sliceTensors, type SliceSplit } from './slice.js';

/** Settings of {@link fineTune}. */
export interface FineTuneSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Called after each step with its 1-based number and loss; the page draws its progress bar and loss plot here. */
  readonly onStep?: (step: number, loss: number) => void;
}

/**
 * Trains every weight of `model` for `steps` Adam steps on batches taken in order (wrapping around) from `split`,
 * yielding to the browser between steps so the page stays live. Returns the loss of each step.
 */
export async function fineTune(model: tf.LayersModel, split: SliceSplit, settings: FineTuneSettings): Promise<number[]> {
  model.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'categoricalCrossentropy' });
  const losses: number[] = [];
  for (let step = 0; step < settings.steps; step++) {
    const start = (step * settings.batchSize) % split.size;
    const { xs, ys } = sliceTensors(split, start, Math.min(start + settings.batchSize, split.size));
    const loss = (await model.trainOnBatch(xs, ys)) as number;
    xs.dispose();
    ys.dispose();
    losses.push(loss);
    settings.onStep?.(step + 1, loss);
    await tf.nextFrame();
  }
  return losses;
}
