import * as tf from '@tensorflow/tfjs';
import { GraftError, modelVocabulary, setModelVocabulary } from '@graft/core';
import { CharVocabulary, loadBrown, textWindows, type TextWindows } from '@graft/datasets';
import { gpt, gptInputs } from '@graft/models';
import { trainingFlopsPerStep } from './flops.js';
import { generateText } from './generate.js';
import { headline, summarise, type Architecture, type GeneratedSample, type GptDemoReport, type GptExperimentReport } from './gpt-report.js';
import { languageModelLoss, orderedInputs, tensorsOf, trainLanguageModel, type LossPoint } from './lm-train.js';
import { MAX_ABS_DIFF_TOLERANCE } from '../report.js';

/** The shape of a GPT, without its vocabulary size (that comes from the data). */
export type GptShape = Omit<Architecture, 'vocabSize' | 'parameters'>;

/** One way to grow the trained base GPT, and the architecture that results. */
export interface GrowthPlan {
  readonly strategy: string;
  /** How it is applied, for the report: sites and options. */
  readonly growth: string;
  /** A grown copy of `base` (which it must not change). */
  grow(base: tf.LayersModel, shape: GptShape): Promise<tf.LayersModel>;
  /** The grown model's shape, so the same architecture can be trained from scratch. */
  grownShape(shape: GptShape): GptShape;
}

/** Sizes and step counts of one run. */
export interface GptScale {
  readonly shape: GptShape;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly baseSteps: number;
  readonly grownSteps: number;
  readonly evalEvery: number;
  /** Test windows, spread evenly over the 50 test files. */
  readonly testWindows: number;
  /** Characters each model generates after the prompt. */
  readonly sampleLength: number;
}

/** The CI smoke run: a one-block GPT and a few dozen steps per stage (under 2 minutes on 2 busy cores). */
export const QUICK_SCALE: GptScale = {
  shape: { context: 32, dModel: 32, heads: 2, blocks: 1, mlpRatio: 4 },
  batchSize: 16,
  learningRate: 3e-3,
  baseSteps: 60,
  grownSteps: 30,
  evalEvery: 10,
  testWindows: 64,
  sampleLength: 80,
};

/**
 * The full run, per seed: sized so that three seeds finish in well under an hour on the 2-core reference machine
 * under load (the base model sees about 400,000 training characters).
 */
export const FULL_SCALE: GptScale = {
  shape: { context: 64, dModel: 32, heads: 2, blocks: 2, mlpRatio: 4 },
  batchSize: 32,
  learningRate: 2e-3,
  baseSteps: 200,
  grownSteps: 200,
  evalEvery: 25,
  testWindows: 256,
  sampleLength: 200,
};

export const PROMPT = 'The jury said ';
export const TEMPERATURE = 0.7;
export const FLOPS_RULE = 'per step: 6 × (multiply-adds of every Dense and Dot layer per sample) × batch size (forward 2× multiply-adds, backward 2× forward)';

/** What the run reports as it goes. */
export interface GptRunIo {
  readonly log: (line: string) => void;
  /** Progress redraws (standard error). */
  readonly progress?: (text: string) => void;
  readonly isTTY?: boolean;
}

/**
 * For every seed: trains a GPT on Brown, grows a copy with each plan, checks that the grown model predicts the
 * same, fine-tunes it, and trains the grown architecture from scratch with the FLOPs of base + grown training.
 * Every model it makes is disposed before it returns.
 */
export async function runGptExperiments(
  settings: { readonly quick: boolean; readonly seeds: readonly number[]; readonly scale: GptScale },
  backend: { readonly name: string; readonly description: string },
  plans: readonly GrowthPlan[],
  io: GptRunIo,
): Promise<GptDemoReport> {
  const started = performance.now();
  const { scale } = settings;
  const brown = await loadBrown();
  const vocabulary = brown.vocabulary;
  const context = scale.shape.context;
  const train = textWindows(brown.train.text, vocabulary, context, gptInputs);
  const test = textWindows(brown.test.text, vocabulary, context, gptInputs).spread(scale.testWindows);
  io.log(`Brown corpus: ${brown.train.files.length} training files (${brown.train.text.length.toLocaleString('en-US')} characters), ${brown.test.files.length} test files (${test.size} windows of ${context} scored); ${vocabulary.size} character ids.`);
  const experiments: GptExperimentReport[] = [];
  const samples: GeneratedSample[] = [];
  for (const [index, seed] of settings.seeds.entries()) {
    const base = gpt({ ...scale.shape, vocabSize: vocabulary.size, seed });
    try {
      setModelVocabulary(base, vocabulary.record);
      const baseArchitecture = architecture(base, scale.shape, vocabulary.size);
      const baseFlops = trainingFlopsPerStep(base, scale.batchSize);
      io.log(`\n[seed ${seed}] Base GPT ${describe(baseArchitecture)}: ${scale.baseSteps} steps of batch ${scale.batchSize}.`);
      const basePoints = await trainLanguageModel(base, train, {
        ...stepSettings(scale, io, `[seed ${seed}] base`),
        steps: scale.baseSteps,
        seed,
        test,
        flopsPerStep: baseFlops,
        evaluateAtStart: true,
      });
      const sampled = index === 0;
      if (sampled) samples.push({ model: 'base', text: await sample(base, scale) });
      for (const plan of plans) {
        const run = await runPlan(plan, base, basePoints, { seed, scale, train, test, vocabulary, baseFlops, io, baseArchitecture });
        experiments.push(run.report);
        if (sampled) samples.push(...run.samples);
      }
    } finally {
      base.dispose();
    }
  }
  return {
    dataset: 'brown',
    backend: backend.name,
    backendDescription: backend.description,
    experiments,
    summary: summarise(experiments),
    prompt: PROMPT,
    samples,
    settings: {
      quick: settings.quick,
      seeds: settings.seeds,
      baseSteps: scale.baseSteps,
      grownSteps: scale.grownSteps,
      batchSize: scale.batchSize,
      learningRate: scale.learningRate,
      evalEvery: scale.evalEvery,
      testWindows: test.size,
      trainCharacters: brown.train.text.length,
      testCharacters: brown.test.text.length,
      vocabularySize: vocabulary.size,
      temperature: TEMPERATURE,
      flopsRule: FLOPS_RULE,
    },
    seconds: (performance.now() - started) / 1000,
    createdAt: new Date().toISOString(),
  };
}

interface PlanContext {
  readonly seed: number;
  readonly scale: GptScale;
  readonly train: TextWindows;
  readonly test: TextWindows;
  readonly vocabulary: CharVocabulary;
  readonly baseFlops: number;
  readonly baseArchitecture: Architecture;
  readonly io: GptRunIo;
}

async function runPlan(
  plan: GrowthPlan,
  base: tf.LayersModel,
  basePoints: readonly LossPoint[],
  run: PlanContext,
): Promise<{ report: GptExperimentReport; samples: GeneratedSample[] }> {
  const { seed, scale, train, test, vocabulary, io } = run;
  const label = `[seed ${seed}] ${plan.strategy}`;
  const shape = plan.grownShape(scale.shape);
  const grown = await plan.grow(base, scale.shape);
  const samples: GeneratedSample[] = [];
  try {
    if (JSON.stringify(modelVocabulary(grown)) !== JSON.stringify(vocabulary.record)) {
      throw new GraftError('NOT_PRESERVED', `${plan.strategy}: the grown model lost the vocabulary recorded in its metadata.`);
    }
    const grownArchitecture = architecture(grown, shape, vocabulary.size);
    const grownFlops = trainingFlopsPerStep(grown, scale.batchSize);
    const testLoss = await languageModelLoss(grown, test, scale.batchSize * 2);
    const maxAbsDiff = await maxProbabilityDiff(base, grown, test);
    const preserved = maxAbsDiff <= MAX_ABS_DIFF_TOLERANCE;
    io.log(`\n${label}: grown to ${describe(grownArchitecture)} (${plan.growth}); before training: test loss ${testLoss.toFixed(4)} (base ${basePoints.at(-1)?.testLoss.toFixed(4)}), max |Δ probability| ${maxAbsDiff.toExponential(2)}${preserved ? '' : ' NOT PRESERVED'}.`);
    const baseSpent = scale.baseSteps * run.baseFlops;
    const grownPoints = await trainLanguageModel(grown, train, {
      ...stepSettings(scale, io, `${label} grown`),
      steps: scale.grownSteps,
      seed: seed + 1,
      test,
      flopsPerStep: grownFlops,
      flopsBefore: baseSpent,
    });
    samples.push({ model: `${plan.strategy} grown`, text: await sample(grown, scale) });
    const budget = baseSpent + scale.grownSteps * grownFlops;
    // Rounded up, so the from-scratch run never gets less compute than the grown run (at most one step more).
    const scratchSteps = Math.ceil(budget / grownFlops - 1e-9);
    const scratch = gpt({ ...shape, vocabSize: vocabulary.size, seed: seed + 7919 });
    try {
      if (scratch.countParams() !== grown.countParams()) {
        throw new GraftError('INVALID_ARGUMENT', `${plan.strategy}: the from-scratch model has ${scratch.countParams()} parameters, the grown one ${grown.countParams()}; their architectures differ.`);
      }
      io.log(`\n${label} from scratch: ${scratchSteps} steps (the FLOPs of base + grown training).`);
      const scratchPoints = await trainLanguageModel(scratch, train, {
        ...stepSettings(scale, io, `${label} scratch`),
        steps: scratchSteps,
        evalEvery: Math.max(1, Math.round((scale.evalEvery * scratchSteps) / (scale.baseSteps + scale.grownSteps))),
        seed: seed + 2,
        test,
        flopsPerStep: grownFlops,
        evaluateAtStart: true,
      });
      setModelVocabulary(scratch, vocabulary.record);
      samples.push({ model: `${plan.strategy} from scratch`, text: await sample(scratch, scale) });
      return {
        report: {
          strategy: plan.strategy,
          seed,
          growth: plan.growth,
          architecture: { base: run.baseArchitecture, grown: grownArchitecture },
          flopsPerStep: { base: run.baseFlops, grown: grownFlops },
          base: basePoints,
          grownBeforeTraining: { testLoss, maxAbsDiff },
          preserved,
          grown: grownPoints,
          scratch: scratchPoints,
          headline: headline(basePoints, grownPoints, scratchPoints),
        },
        samples,
      };
    } finally {
      scratch.dispose();
    }
  } finally {
    grown.dispose();
  }
}

/** Largest absolute difference between two models' next-character probabilities over every window of `windows`. */
export async function maxProbabilityDiff(a: tf.LayersModel, b: tf.LayersModel, windows: TextWindows): Promise<number> {
  let max = 0;
  for (const batch of windows.batches(64)) {
    const difference = tf.tidy(() => {
      const pa = tf.softmax(a.predict(orderedInputs(a, batch.xs)) as tf.Tensor);
      const pb = tf.softmax(b.predict(orderedInputs(b, batch.xs)) as tf.Tensor);
      return tf.max(tf.abs(tf.sub(pa, pb)));
    });
    tf.dispose([...tensorsOf(batch.xs), batch.ys]);
    const value = (await difference.data())[0] as number;
    difference.dispose();
    max = Number.isNaN(value) ? Infinity : Math.max(max, value);
  }
  return max;
}

function architecture(model: tf.LayersModel, shape: GptShape, vocabSize: number): Architecture {
  return { vocabSize, ...shape, parameters: model.countParams() };
}

function describe(a: Architecture): string {
  return `${a.blocks} block${a.blocks === 1 ? '' : 's'}, width ${a.dModel}, ${a.heads} heads, context ${a.context} (${a.parameters.toLocaleString('en-US')} parameters)`;
}

function stepSettings(scale: GptScale, io: GptRunIo, label: string) {
  return {
    batchSize: scale.batchSize,
    learningRate: scale.learningRate,
    evalEvery: scale.evalEvery,
    label,
    ...(io.isTTY === undefined ? {} : { isTTY: io.isTTY }),
    ...(io.progress === undefined ? {} : { write: io.progress }),
  };
}

/** Text from `model`, encoded and decoded with the vocabulary it carries in its metadata (not the corpus's). */
function sample(model: tf.LayersModel, scale: GptScale): Promise<string> {
  const record = modelVocabulary(model);
  if (record === undefined) throw new GraftError('NOT_PRESERVED', `Model "${model.name}" carries no vocabulary.`);
  return generateText(model, new CharVocabulary(record), PROMPT, { length: scale.sampleLength, temperature: TEMPERATURE, seed: 1 });
}
