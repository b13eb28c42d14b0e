import { describe, expect, it } from 'vitest';
import { isPreserved } from './report.js';
import { decideVerdict, preservationSentence, small, stageRows, verdictSentence, writeUpNote } from './stages.js';
import { sampleExperiment, sampleReport } from './test-support/sample-report.js';

const point = (epoch: number, testAccuracy: number) => ({ epoch, testLoss: 0.1, testAccuracy });

describe('stageRows', () => {
  it('lists base epochs, grown before training, grown epochs, with the write-up beside them on MNIST', () => {
    expect(stageRows(sampleExperiment(), 'mnist').map((r) => [r.stage, r.writeUp])).toEqual([
      ['base epoch 1', '97.38'],
      ['base epoch 2', '97.66'],
      ['grown before training', '= base'],
      ['grown epoch 1', '98.19'],
      ['grown epoch 2', '98.31'],
    ]);
  });

  it('leaves the write-up column empty where the write-up has no figure: Fashion-MNIST, epoch 3, scratch', () => {
    expect(stageRows(sampleExperiment(), 'fashion-mnist').every((r) => r.writeUp === '')).toBe(true);
    const longer = sampleExperiment({ grown: [point(1, 98), point(2, 98.2), point(3, 98.4)], scratch: [point(1, 90)] });
    const rows = stageRows(longer, 'mnist');
    expect(rows.find((r) => r.stage === 'grown epoch 3')?.writeUp).toBe('');
    expect(rows.at(-1)).toMatchObject({ stage: 'scratch epoch 1', writeUp: '' });
  });
});

describe('preservation', () => {
  it('counts exact accuracy and float-noise predictions as preserved, nothing more', () => {
    const base = point(2, 97.66);
    expect(isPreserved(base, { testLoss: 0.1, testAccuracy: 97.66, maxAbsDiff: 1e-5 })).toBe(true);
    expect(isPreserved(base, { testLoss: 0.1, testAccuracy: 97.66, maxAbsDiff: 2e-5 })).toBe(false);
    expect(isPreserved(base, { testLoss: 0.1, testAccuracy: 97.65, maxAbsDiff: 0 })).toBe(false);
  });

  it('states the measured differences either way, and shouts when growing changed the model', () => {
    expect(preservationSentence(sampleExperiment())).toBe(
      'Growing preserved the function: Δ test loss 0, Δ test accuracy 0 points, max |Δ prediction| 0.',
    );
    const broken = sampleExperiment({ grownBeforeTraining: { testLoss: 0.09, testAccuracy: 97.5, maxAbsDiff: 0.25 }, preserved: false });
    expect(preservationSentence(broken)).toBe(
      'NOT PRESERVED: growing with dense-identity after "hidden" changed the model (Δ test loss +1.88e-2, Δ test accuracy −1.60e-1 points, max |Δ prediction| 2.50e-1).',
    );
  });

  it('writes zero as 0 and tiny numbers in exponent form', () => {
    expect(small(0)).toBe('0');
    expect(small(3.2e-7)).toBe('3.20e-7');
  });
});

describe('decideVerdict', () => {
  it('compares the last epochs by test accuracy, a tenth of a point apart at least', () => {
    expect(decideVerdict([point(1, 98.31)], [point(4, 98.0)])).toBe('growing won');
    expect(decideVerdict([point(1, 97.9)], [point(4, 98.0)])).toBe('from scratch won');
    expect(decideVerdict([point(1, 98.05)], [point(4, 98.0)])).toBe('tie');
    expect(decideVerdict([], [point(4, 98.0)])).toBeUndefined();
  });

  it('says it in one plain sentence', () => {
    const experiment = sampleExperiment({ scratch: [point(1, 96), point(2, 97), point(3, 97.5), point(4, 98.01)], verdict: 'growing won' });
    expect(verdictSentence(experiment, 'mnist')).toBe(
      'On mnist, after 4 epochs in all (2 base + 2 grown vs 4 from scratch), growing won for dense-identity: grown 98.31 % vs from scratch 98.01 % test accuracy.',
    );
    expect(verdictSentence(sampleExperiment(), 'mnist')).toBeUndefined();
  });
});

describe('writeUpNote', () => {
  it('warns only when MNIST figures sit beside a run on less than full MNIST', () => {
    expect(writeUpNote(sampleReport())).toEqual([]);
    expect(writeUpNote(sampleReport({ dataset: 'fashion-mnist' }))).toEqual([]);
    const quick = sampleReport({ settings: { ...sampleReport().settings, quick: true, trainSamples: 2000, testSamples: 1000 } });
    expect(writeUpNote(quick)[0]).toMatch(/full MNIST/);
  });
});
