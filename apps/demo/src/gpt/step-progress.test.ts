import { describe, expect, it } from 'vitest';
import { stepProgress } from './step-progress.js';

describe('stepProgress', () => {
  it('writes a line every interval and one per evaluation when not on a terminal', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = stepProgress({ label: 'base', steps: 100, isTTY: false, write: (t) => lines.push(t), lineInterval: 10, now: () => clock });
    clock = 5_000;
    progress.step(10, 3.5);
    clock = 10_000;
    progress.step(20, 3.25);
    progress.evaluated(20, 3.125);
    progress.finish();
    expect(lines).toEqual(['base step 20/100 2.0 steps/s ETA 0:40 loss 3.2500\n', 'base step 20/100 test loss 3.1250\n']);
  });

  it('redraws a bar on a terminal and clears it at the end', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = stepProgress({ label: 'grown', steps: 4, isTTY: true, write: (t) => lines.push(t), now: () => clock });
    clock = 1_000;
    progress.step(2, 1);
    progress.step(3, 1); // within 100 ms of the last redraw: skipped
    progress.step(4, 0.5); // the last step is always drawn
    progress.finish();
    expect(lines[0]).toBe('\rgrown step 2/4 [=========>          ] 2.0 steps/s ETA 0:01 loss 1.0000\x1b[K');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('\r\x1b[K');
  });
});
