import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from '@graft/core';
import { train, type TrainableSpec } from '@graft/train';
import { sliceTensors, type SliceSplit } from './slice.js';

/** Settings of {@link fineTune}. */
export interface FineTuneSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** `'all'` layers, or only the `'new'` ones grow added. */
  readonly trainable: TrainableSpec;
  /** Called after each step with its 1-based number and loss; the page draws its progress bar and loss plot here. */
  readonly onStep?: (step: number, loss: number) => void;
}

/**
 * `steps` batches of `batchSize` images taken in order from `split`, wrapping around: a `BatchSource` for
 * `@graft/train`, so the page fine-tunes with the same training loop as the CLI. train() disposes each batch.
 */
export function stepsOf(split: SliceSplit, steps: number, batchSize: number): BatchSource {
  return {
    size: steps * batchSize,
    *batches(size: number) {
      for (let step = 0; step < steps; step++) {
        const start = (step * size) % split.size;
        yield sliceTensors(split, start, Math.min(start + size, split.size));
      }
    },
  };
}

/**
 * Trains `model` for `settings.steps` Adam steps on `split` with `@graft/train` (one epoch of exactly that many
 * batches), yielding to the browser after each step so the page stays live. Returns the loss of each step.
 */
export async function fineTune(model: tf.LayersModel, split: SliceSplit, settings: FineTuneSettings): Promise<number[]> {
  const losses: number[] = [];
  await train(model, { train: stepsOf(split, settings.steps, settings.batchSize) }, {
    epochs: 1,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    trainable: settings.trainable,
    seed: 0,
    progress: 'none',
    async onBatchEnd(stats) {
      losses.push(stats.loss);
      settings.onStep?.(stats.batch, stats.loss);
      await tf.nextFrame();
    },
  });
  return losses;
}
