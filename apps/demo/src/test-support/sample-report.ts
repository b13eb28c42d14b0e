import type { DemoReport, ExperimentReport } from '../report.js';

/** A full-MNIST-shaped report with the write-up's own figures, so tables and pages can be checked by eye too. */
export function sampleExperiment(overrides: Partial<ExperimentReport> = {}): ExperimentReport {
  return {
    strategy: 'dense-identity',
    site: 'hidden',
    added: ['hidden_identity'],
    base: [
      { epoch: 1, testLoss: 0.0845, testAccuracy: 97.38 },
      { epoch: 2, testLoss: 0.0712, testAccuracy: 97.66 },
    ],
    grownBeforeTraining: { testLoss: 0.0712, testAccuracy: 97.66, maxAbsDiff: 0 },
    preserved: true,
    grown: [
      { epoch: 1, testLoss: 0.0601, testAccuracy: 98.19 },
      { epoch: 2, testLoss: 0.0558, testAccuracy: 98.31 },
    ],
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<DemoReport> = {}): DemoReport {
  return {
    dataset: 'mnist',
    backend: 'wasm',
    backendDescription: 'backend: wasm (@tensorflow/tfjs-backend-wasm) — fastest available',
    experiments: [sampleExperiment(), sampleExperiment({ strategy: 'conv-gate', site: 'conv', added: ['conv_gate', 'conv_gated'] })],
    settings: {
      epochs: 2,
      batchSize: 32,
      optimizer: 'adam',
      seed: 42,
      freeze: false,
      quick: false,
      compareScratch: false,
      trainSamples: 60_000,
      testSamples: 10_000,
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
