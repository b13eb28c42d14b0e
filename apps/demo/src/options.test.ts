import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { parseOptions, timestampFolder } from './options.js';

const cwd = '/work/here';
const now = new Date('2025-03-04T05:06:07.089Z');
const parse = (...args: string[]) => parseOptions(args, cwd, now);

function refusal(args: string[]): string {
  try {
    parse(...args);
  } catch (error) {
    if (isGraftError(error, 'INVALID_ARGUMENT')) return error.message;
    throw error;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('parseOptions', () => {
  it('defaults to two epochs on MNIST, best backend, a new timestamped report folder', () => {
    expect(parse()).toEqual({
      experiment: 'mnist',
      seeds: 3,
      datasets: ['mnist'],
      epochs: 2,
      backend: undefined,
      freeze: false,
      seed: 42,
      quick: false,
      compareScratch: false,
      out: join(cwd, 'reports', '2025-03-04T05-06-07-089Z'),
      debug: false,
      help: false,
    });
  });

  it('reads every option', () => {
    const options = parse('--epochs', '3', '--dataset', 'fashion-mnist', '--backend', 'CPU', '--freeze', '--seed', '7', '--compare-scratch', '--out', 'r/x', '--debug');
    expect(options).toMatchObject({ datasets: ['fashion-mnist'], epochs: 3, backend: 'cpu', freeze: true, seed: 7, compareScratch: true, out: join(cwd, 'r/x'), debug: true });
  });

  it('--quick runs one epoch unless --epochs says otherwise', () => {
    expect(parse('--quick')).toMatchObject({ quick: true, epochs: 1 });
    expect(parse('--quick', '--epochs=2')).toMatchObject({ quick: true, epochs: 2 });
  });

  it('--dataset all runs both data sets, MNIST first', () => {
    expect(parse('--dataset', 'all').datasets).toEqual(['mnist', 'fashion-mnist']);
  });

  it.each(['0', '-1', '1.5', 'two', '', '1e3'])('refuses --epochs %j', (value) => {
    expect(refusal([`--epochs=${value}`])).toMatch(/--epochs must be a positive integer/);
  });

  it('refuses an unknown data set, backend, option, seed or a missing value', () => {
    expect(refusal(['--dataset', 'cifar'])).toBe('--dataset must be mnist, fashion-mnist or all; got "cifar".');
    expect(refusal(['--backend', 'webgpu'])).toMatch(/--backend must be one of tensorflow, wasm, cpu/);
    expect(refusal(['--fast'])).toMatch(/Unknown option '--fast'.*--help/);
    expect(refusal(['--seed=-3'])).toMatch(/--seed must be an integer/);
    expect(refusal(['--seed', '-3'])).toMatch(/^Option '--seed' argument is ambiguous\. Run with --help/);
    expect(refusal(['--seed', String(2 ** 32)])).toMatch(/--seed must be an integer/);
    expect(refusal(['--out'])).toMatch(/--out/);
    expect(refusal(['stray'])).toMatch(/positional/i);
  });

  it('names report folders without colons', () => {
    expect(timestampFolder(now)).toBe('2025-03-04T05-06-07-089Z');
  });

  it('reads the GPT experiment with its seeds, one seed when quick, and refuses options of the other experiment', () => {
    expect(parse('--experiment', 'gpt')).toMatchObject({ experiment: 'gpt', seeds: 3, quick: false });
    expect(parse('--experiment', 'gpt', '--quick')).toMatchObject({ experiment: 'gpt', seeds: 1, quick: true });
    expect(parse('--experiment', 'gpt', '--seeds', '5', '--seed', '9')).toMatchObject({ seeds: 5, seed: 9 });
    expect(refusal(['--experiment', 'bert'])).toBe('--experiment must be mnist or gpt; got "bert".');
    expect(refusal(['--experiment', 'gpt', '--epochs', '2'])).toMatch(/^--epochs belongs to the MNIST experiment/);
    expect(refusal(['--experiment', 'gpt', '--compare-scratch'])).toMatch(/^--compare-scratch belongs to the MNIST experiment/);
    expect(refusal(['--seeds', '2'])).toMatch(/^--seeds belongs to --experiment gpt/);
    expect(refusal(['--experiment', 'gpt', '--seeds', '0'])).toBe('--seeds must be a positive integer; got "0".');
  });
});
