import { describe, expect, it } from 'vitest';
import { thrownBy } from '@graft/fixtures';
import { parseBenchArgs } from './args.js';
import { runTorchPeer } from './torch-peer.js';

describe('parseBenchArgs', () => {
  it("defaults to the seed model with its own sizes, and the PyTorch peer", () => {
    expect(parseBenchArgs([])).toEqual({ json: false, model: 'seed', backend: undefined, steps: undefined, warmupSteps: undefined, batchSize: undefined, torch: true });
  });

  it('reads --model', () => {
    expect(parseBenchArgs(['--model', 'tiny-gpt'])).toMatchObject({ model: 'tiny-gpt' });
  });

  it('reads --json, --backend, --steps and --no-torch', () => {
    expect(parseBenchArgs(['--json', '--backend', 'cpu', '--steps', '5', '--no-torch'])).toMatchObject({
      json: true,
      backend: 'cpu',
      steps: 5,
      torch: false,
    });
  });

  it.each([[['--steps', '0']], [['--backend', 'gpu']], [['--model', 'resnet']], [['--frobnicate']]])('refuses %j with INVALID_ARGUMENT', (argv) => {
    expect(thrownBy(() => parseBenchArgs(argv)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('runTorchPeer', () => {
  it('skips with a reason instead of failing when the peer script is missing', async () => {
    const outcome = await runTorchPeer('/nonexistent/seed_torch.py', '/');
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(/not found/);
  });
});
