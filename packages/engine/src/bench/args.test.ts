import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { parseBenchArgs } from './args.js';
import { runTorchPeer } from './torch-peer.js';

describe('parseBenchArgs', () => {
  it('defaults to the reference run: 300 timed steps of 32 after 20 warm-up, with the PyTorch peer', () => {
    expect(parseBenchArgs([])).toEqual({ json: false, backend: undefined, steps: 300, warmupSteps: 20, batchSize: 32, torch: true });
  });

  it('reads --json, --backend, --steps and --no-torch', () => {
    expect(parseBenchArgs(['--json', '--backend', 'cpu', '--steps', '5', '--no-torch'])).toMatchObject({
      json: true,
      backend: 'cpu',
      steps: 5,
      torch: false,
    });
  });

  it.each([[['--steps', '0']], [['--backend', 'gpu']], [['--frobnicate']]])('refuses %j with INVALID_ARGUMENT', (argv) => {
    let caught: unknown;
    try {
      parseBenchArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(isGraftError(caught, 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('runTorchPeer', () => {
  it('skips with a reason instead of failing when the peer script is missing', async () => {
    const outcome = await runTorchPeer('/nonexistent/seed_torch.py', '/');
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(/not found/);
  });
});
