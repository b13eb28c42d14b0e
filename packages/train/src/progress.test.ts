import { describe, expect, it } from 'vitest';
import { createProgress, epochLine } from './progress.js';
import type { EpochStats } from './types.js';

const stats: EpochStats = {
  epoch: 2,
  trainLoss: 0.25,
  trainAccuracy: 93.1,
  testLoss: 0.3,
  testAccuracy: 91.25,
  samplesPerSecond: 1234.4,
  seconds: 12.34,
  trainable: ['dense'],
};

function recorder(): { written: string[]; log: (text: string) => void } {
  const written: string[] = [];
  return { written, log: (text) => void written.push(text) };
}

describe('progress', () => {
  it('redraws one bar line with epoch, samples/s, ETA, loss and accuracy, at most every 100 ms', () => {
    let clock = 0;
    const { written, log } = recorder();
    const progress = createProgress({ mode: 'bar', epochs: 5, log, now: () => clock });
    progress.batch(2, 100, 1000, 1, { loss: 0.5, accuracy: 80 });
    clock = 50;
    progress.batch(2, 200, 1000, 2, { loss: 0.4, accuracy: 85 }); // too soon: skipped
    clock = 200;
    progress.batch(2, 300, 1000, 3, { loss: 0.3, accuracy: 90 });
    progress.epoch(stats, 5);
    expect(written).toHaveLength(3);
    expect(written[0]).toBe('\repoch 2/5 [=>                  ] 10% 100 samples/s ETA 0:09 loss 0.5000 acc 80.00%\x1b[K');
    expect(written[1]).toMatch(/^\repoch 2\/5 \[=====> +\] 30% 100 samples\/s ETA 0:07 loss 0\.3000 acc 90\.00%/);
    expect(written[2]).toBe(`\r${epochLine(stats, 5)}\x1b[K\n`);
  });

  it('writes plain lines every interval when not on a terminal, and one per epoch', () => {
    let clock = 0;
    const { written, log } = recorder();
    const progress = createProgress({ mode: 'auto', isTTY: false, epochs: 3, log, lineInterval: 10, now: () => clock });
    clock = 5_000;
    progress.batch(1, 10, 100, 5, { loss: 1, accuracy: 50 });
    clock = 10_001;
    progress.batch(1, 20, 100, 10, { loss: 0.9, accuracy: 55 });
    progress.epoch(stats, 3);
    expect(written).toEqual([
      'epoch 1/3 20/100 samples 2 samples/s ETA 0:40 loss 0.9000 acc 55.00%',
      'epoch 2/3 loss 0.2500 acc 93.10% test loss 0.3000 test acc 91.25% 1234 samples/s 12.3s',
    ]);
  });

  it("chooses the bar on a terminal when nobody gave a log, and writes nothing in 'none' mode", () => {
    const { written, log } = recorder();
    createProgress({ mode: 'none', epochs: 1, log }).epoch(stats, 1);
    expect(written).toEqual([]);
    const original = process.stderr.write.bind(process.stderr);
    const captured: string[] = [];
    process.stderr.write = ((chunk: string) => captured.push(chunk) > 0);
    try {
      createProgress({ mode: 'auto', isTTY: true, epochs: 1 }).epoch(stats, 1);
    } finally {
      process.stderr.write = original;
    }
    expect(captured[0]?.startsWith('\r')).toBe(true);
  });
});
