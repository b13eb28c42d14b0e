import * as tf from '@tensorflow/tfjs';
import { addedLayers, grow, type SurgeryStrategy } from '@graft/core';
import { convGate } from '@graft/conv-gate';
import { loadDataset, type Dataset } from '@graft/datasets';
import { denseIdentity } from '@graft/dense-identity';
import { mnistSeed } from '@graft/models';
import { evaluate, train, type TrainHistory, type TrainOptions } from '@graft/train';
import { QUICK_LIMIT, type DemoDataset, type DemoOptions } from './options.js';
import { isPreserved, type DemoReport, type EpochPoint, type ExperimentReport } from './report.js';
import { decideVerdict } from './stages.js';

/** A strategy and the layer of the reference model it grows after. */
export interface ExperimentPlan {
  readonly strategy: SurgeryStrategy;
  readonly site: string;
}

/** The write-up's two experiments: an identity Dense before the output layer, a conv gate after the conv layer. */
export function referenceExperiments(): ExperimentPlan[] {
  return [
    { strategy: denseIdentity(), site: 'hidden' },
    { strategy: convGate(), site: 'conv' },
  ];
}

/** Where the run says what it is doing; training progress goes to standard error through `train`. */
export type RunLog = (line: string) => void;

export const BATCH_SIZE = 32;
const OPTIMIZER = 'adam';

/**
 * Trains the reference model once on `dataset`, grows a copy of it with each plan, measures that growing changed
 * nothing, keeps training each grown model and, with `compareScratch`, trains each grown architecture from a fresh
 * initialisation for the same total number of steps. Every model it makes is disposed before it returns.
 */
export async function runDataset(
  dataset: DemoDataset,
  options: DemoOptions,
  backend: { readonly name: string; readonly description: string },
  log: RunLog,
  plans: readonly ExperimentPlan[] = referenceExperiments(),
): Promise<DemoReport> {
  const data = await loadDataset(dataset, options.quick ? { limit: { ...QUICK_LIMIT } } : {});
  const epochs = options.epochs;
  const base = mnistSeed({ seed: options.seed });
  try {
    log(`\n[${dataset}] Training the base model: ${describeTraining(data, epochs)}.`);
    const baseHistory = await train(base, data, trainOptions(epochs, options.seed));
    const basePoints = points(baseHistory);
    const experiments: ExperimentReport[] = [];
    for (const plan of plans) {
      experiments.push(await runExperiment(base, basePoints, plan, data, options, log));
    }
    return {
      dataset,
      backend: backend.name,
      backendDescription: backend.description,
      experiments,
      settings: {
        epochs,
        batchSize: BATCH_SIZE,
        optimizer: OPTIMIZER,
        seed: options.seed,
        freeze: options.freeze,
        quick: options.quick,
        compareScratch: options.compareScratch,
        trainSamples: data.train.size,
        testSamples: data.test.size,
      },
      createdAt: new Date().toISOString(),
    };
  } finally {
    base.dispose();
  }
}

async function runExperiment(
  base: tf.LayersModel,
  basePoints: readonly EpochPoint[],
  plan: ExperimentPlan,
  data: Dataset,
  options: DemoOptions,
  log: RunLog,
): Promise<ExperimentReport> {
  const { strategy, site } = plan;
  const { model: grown, added } = await grow(base, strategy, { after: site });
  try {
    // One pass over the test set gives the grown model's loss and accuracy and how far its predictions are from the base's.
    const measured = await evaluate(grown, data.test, { task: 'classification', reference: base });
    const grownBeforeTraining = { testLoss: measured.loss, testAccuracy: measured.accuracy ?? NaN, maxAbsDiff: measured.maxAbsDiff ?? Infinity };
    const lastBase = basePoints.at(-1);
    const preserved = lastBase !== undefined && isPreserved(lastBase, grownBeforeTraining);
    const frozen = options.freeze ? ' (new layers only for the first epoch)' : '';
    log(`\n[${data.name}] Grown with ${strategy.name} after "${site}" (added ${added.join(', ')}); training${frozen}: ${describeTraining(data, options.epochs)}.`);
    const grownHistory = await train(grown, data, {
      ...trainOptions(options.epochs, options.seed + 1),
      ...(options.freeze ? { trainable: 'new' as const, unfreezeAfter: 1 } : {}),
    });
    const grownPoints = points(grownHistory);
    const experiment: ExperimentReport = {
      strategy: strategy.name,
      site,
      added,
      base: basePoints,
      grownBeforeTraining,
      preserved,
      grown: grownPoints,
    };
    if (!options.compareScratch) return experiment;
    const scratchEpochs = basePoints.length + grownPoints.length;
    log(`\n[${data.name}] The ${strategy.name} architecture from scratch, same number of steps: ${describeTraining(data, scratchEpochs)}.`);
    const scratch = await trainFromScratch(plan, data, scratchEpochs, options.seed);
    const verdict = decideVerdict(grownPoints, scratch);
    return { ...experiment, scratch, ...(verdict === undefined ? {} : { verdict }) };
  } finally {
    grown.dispose();
  }
}

/**
 * The grown architecture with every weight freshly initialised: a new reference model from another seed, grown
 * the same way, then the added layers' kernels redrawn (Glorot uniform, like Keras' default) so that nothing of
 * the identity initialisation remains. Biases keep their initial values (zeros, and the gate's open bias).
 */
async function trainFromScratch(plan: ExperimentPlan, data: Dataset, epochs: number, seed: number): Promise<EpochPoint[]> {
  const fresh = mnistSeed({ seed: seed + 100 });
  const { model } = await grow(fresh, plan.strategy, { after: plan.site }).finally(() => fresh.dispose());
  try {
    reinitialiseKernels(model, addedLayers(model), seed + 200);
    return points(await train(model, data, trainOptions(epochs, seed + 2)));
  } finally {
    model.dispose();
  }
}

/** Redraws every weight of rank ≥ 2 of the named layers with seeded Glorot uniform values. */
export function reinitialiseKernels(model: tf.LayersModel, layers: readonly string[], seed: number): void {
  layers.forEach((name, index) => {
    const layer = model.getLayer(name);
    const fresh: tf.Tensor[] = [];
    // getWeights() hands out the layer's own variables: only the new tensors may be disposed.
    const values = layer.getWeights().map((weight) => {
      if (weight.rank < 2) return weight;
      const value = tf.initializers.glorotUniform({ seed: seed + index }).apply(weight.shape, 'float32');
      fresh.push(value);
      return value;
    });
    layer.setWeights(values);
    tf.dispose(fresh);
  });
}

function trainOptions(epochs: number, seed: number): TrainOptions {
  return { epochs, batchSize: BATCH_SIZE, optimizer: OPTIMIZER, seed };
}

function points(history: TrainHistory): EpochPoint[] {
  return history.epochs.map((e) => ({ epoch: e.epoch, testLoss: e.testLoss ?? NaN, testAccuracy: e.testAccuracy ?? NaN }));
}

function describeTraining(data: Dataset, epochs: number): string {
  return `${epochs} epoch${epochs === 1 ? '' : 's'} of ${data.train.size.toLocaleString('en-US')} images, batch ${BATCH_SIZE}, ${OPTIMIZER}; tested on ${data.test.size.toLocaleString('en-US')}`;
}
