import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duration, runDemo } from './demo.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDemo(args, { cwd: tmpdir(), out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('runDemo refusals (no training happens)', () => {
  it('exits 2 with one line for bad options', async () => {
    for (const args of [['--epochs', '0'], ['--dataset', 'cifar'], ['--bogus'], ['--backend', 'tpu']]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^graft-demo: [^\n]+\n$/);
      expect(result.out).toBe('');
    }
  });

  it('prints the stack only under --debug', async () => {
    const result = await run(['--epochs', 'x', '--debug']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^graft-demo: --epochs must be a positive integer; got "x"\.\nGraftError: .*\n\s+at /);
  });

  it('refuses an occupied --out before training, with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graft-demo-out-'));
    try {
      await writeFile(join(dir, 'keep.txt'), 'mine');
      const result = await run(['--quick', '--out', dir]);
      expect(result).toEqual({ code: 2, out: '', err: `graft-demo: --out ${dir} is not empty; choose a new folder or empty this one.\n` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the usage for --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/--compare-scratch/);
  });
});

describe('duration', () => {
  it('reads as minutes and seconds', () => {
    expect(duration(42.4)).toBe('42s');
    expect(duration(425)).toBe('7m 05s');
  });
});
