import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silenceTfjsBanner } from './silence-banner.js';

type BackendConstructor = new () => tf.KernelBackend;

/** Registers a fresh cpu backend (its banner not yet shown) and returns what it prints on first use. */
async function firstUseOutput(silence: boolean): Promise<string> {
  const Cpu = (tf.findBackend('cpu')).constructor as BackendConstructor;
  tf.removeBackend('cpu');
  tf.registerBackend('cpu', () => new Cpu(), 1);
  const printed: string[] = [];
  const record = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
  const spies = [vi.spyOn(console, 'warn').mockImplementation(record), vi.spyOn(console, 'log').mockImplementation(record)];
  try {
    if (silence) silenceTfjsBanner();
    await tf.setBackend('cpu');
    tf.tensor([1, 2, 3]).dispose();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed.join('\n');
}

describe('silenceTfjsBanner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows that tfjs prints its Node.js banner by default', async () => {
    expect(await firstUseOutput(false)).toMatch(/running TensorFlow\.js in Node\.js/);
  });

  it('keeps the banner out of the output', async () => {
    expect(await firstUseOutput(true)).toBe('');
  });
});
