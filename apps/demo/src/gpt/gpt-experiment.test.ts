import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromGraph, isGraftError, toGraph } from '@graft/core';
import { runGptExperiments, type GptScale, type GrowthPlan } from './gpt-experiment.js';
import { renderGptHtml } from './gpt-html.js';
import { gptSummaryLines, gptTable } from './gpt-text.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scale: GptScale = {
  shape: { context: 8, dModel: 8, heads: 2, blocks: 1, mlpRatio: 2 },
  batchSize: 4,
  learningRate: 1e-2,
  baseSteps: 4,
  grownSteps: 2,
  evalEvery: 2,
  testWindows: 8,
  sampleLength: 5,
};
const backend = { name: 'cpu', description: 'backend: cpu' };
const quiet = { log: () => undefined, progress: () => undefined };

/** An exact "growth" that changes nothing: a copy through core's graph, same architecture. */
const copy: GrowthPlan = { strategy: 'copy', growth: 'a copy', grow: async (model) => fromGraph(toGraph(model)), grownShape: (shape) => shape };

describe('runGptExperiments', () => {
  it('reports base, grown and from-scratch runs on one FLOPs axis, scratch given the grown run\'s budget', async () => {
    const report = await runGptExperiments({ quick: true, seeds: [3], scale }, backend, [copy], quiet);
    expect(report).toMatchObject({ dataset: 'brown', backend: 'cpu', prompt: 'The jury said ' });
    const [experiment] = report.experiments;
    if (experiment === undefined) throw new Error('no experiment');
    expect(experiment.grownBeforeTraining.maxAbsDiff).toBe(0);
    expect(experiment.grownBeforeTraining.testLoss).toBe(experiment.base.at(-1)?.testLoss);
    expect(experiment.preserved).toBe(true);
    const perStep = experiment.flopsPerStep.base;
    expect(experiment.flopsPerStep.grown).toBe(perStep);
    expect(experiment.base.map((p) => [p.step, p.flops])).toEqual([[0, 0], [2, 2 * perStep], [4, 4 * perStep]]);
    expect(experiment.grown.map((p) => [p.step, p.flops])).toEqual([[2, 6 * perStep]]);
    // Same architecture: scratch gets base + grown steps.
    expect(experiment.scratch.map((p) => p.step)).toEqual([0, 2, 4, 6]);
    expect(experiment.scratch.at(-1)?.flops).toBe(experiment.grown.at(-1)?.flops);
    expect(report.samples.map((s) => s.model)).toEqual(['base', 'copy grown', 'copy from scratch']);
    for (const s of report.samples) expect(s.text.startsWith('The jury said ')).toBe(true);
    expect(report.summary).toHaveLength(1);
    expect(gptTable(experiment)).toMatch(/^copy, seed 3 \(a copy\)\nstage +step +test loss +training FLOPs\n/);
    expect(gptSummaryLines(report)[0]).toMatch(/^copy \(1 seed\): final test loss grown \d\.\d{3} vs from scratch \d\.\d{3} at equal FLOPs/);
    const html = renderGptHtml(report);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|https?:\/\//i);
  });

  it('refuses a grown model that lost its vocabulary, and a from-scratch model of another size', async () => {
    const forgetful: GrowthPlan = {
      ...copy,
      strategy: 'forgetful',
      grow: async (model) => {
        const grown = await fromGraph(toGraph(model));
        grown.setUserDefinedMetadata({});
        return grown;
      },
    };
    const wrongShape: GrowthPlan = { ...copy, strategy: 'misdescribed', grownShape: (shape) => ({ ...shape, blocks: 2 }) };
    const tensors = tf.memory().numTensors;
    for (const [plan, code, message] of [
      [forgetful, 'NOT_PRESERVED', /lost the vocabulary/],
      [wrongShape, 'INVALID_ARGUMENT', /the from-scratch model has \d+ parameters, the grown one \d+/],
    ] as const) {
      const error = await runGptExperiments({ quick: true, seeds: [3], scale: { ...scale, baseSteps: 1, grownSteps: 1 } }, backend, [plan], quiet).then(() => undefined, (e: unknown) => e);
      expect(isGraftError(error, code)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    // The refused runs disposed every model they made.
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
