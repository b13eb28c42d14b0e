import { describe, expect, it } from 'vitest';
import { experimentTable, renderTable } from './table.js';
import { sampleExperiment, sampleReport } from './test-support/sample-report.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, aligns as asked and trims line ends', () => {
    const text = renderTable(['name', 'n'], [['a', '1'], ['long name', '100']], ['left', 'right']);
    expect(text.split('\n')).toEqual(['name         n', '---------  ---', 'a            1', 'long name  100']);
  });

  it('tolerates rows with missing cells', () => {
    expect(renderTable(['a', 'b'], [['x']]).split('\n')[2]).toBe('x');
  });
});

describe('experimentTable', () => {
  it('prints stage, test loss, test accuracy and the write-up for each stage, then the measured preservation', () => {
    const report = sampleReport();
    expect(experimentTable(report, report.experiments[0]!)).toBe(
      [
        'dense-identity after "hidden" on mnist',
        'stage                  test loss  test acc %  write-up',
        '---------------------  ---------  ----------  --------',
        'base epoch 1              0.0845       97.38     97.38',
        'base epoch 2              0.0712       97.66     97.66',
        'grown before training     0.0712       97.66    = base',
        'grown epoch 1             0.0601       98.19     98.19',
        'grown epoch 2             0.0558       98.31     98.31',
        'Growing preserved the function: Δ test loss 0, Δ test accuracy 0 points, max |Δ prediction| 0.',
      ].join('\n'),
    );
  });

  it('adds scratch rows and the verdict when compared', () => {
    const scratch = [1, 2, 3, 4].map((epoch) => ({ epoch, testLoss: 0.2, testAccuracy: 95 + epoch / 2 }));
    const report = sampleReport();
    const text = experimentTable(report, sampleExperiment({ scratch, verdict: 'growing won' }));
    expect(text).toContain('\nscratch epoch 4           0.2000       97.00\n');
    expect(text.split('\n').at(-1)).toMatch(/^On mnist, after 4 epochs in all \(2 base \+ 2 grown vs 4 from scratch\), growing won/);
  });

  it('says loudly when growing changed the model', () => {
    const report = sampleReport();
    const broken = sampleExperiment({ grownBeforeTraining: { testLoss: 0.5, testAccuracy: 90, maxAbsDiff: 0.3 }, preserved: false });
    expect(experimentTable(report, broken)).toMatch(/^NOT PRESERVED: /m);
  });
});
