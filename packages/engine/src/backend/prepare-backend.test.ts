import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { brokenNative, rejection } from '../test-support/kernels.js';
import { prepareBackend } from './prepare-backend.js';

describe('prepareBackend', () => {
  it("starts wasm with graft's training kernels registered by the time it resolves", async () => {
    await prepareBackend('cpu');
    const prepared = await prepareBackend('wasm');
    expect([prepared.name, prepared.package, tf.getBackend()]).toEqual(['wasm', '@tensorflow/tfjs-backend-wasm', 'wasm']);
    expect(prepared.tried.map((attempt) => attempt.ok)).toEqual([true]);
    for (const kernel of ['Conv2DBackpropFilter', 'UnsortedSegmentSum']) expect(tf.getKernel(kernel, 'wasm'), kernel).toBeDefined();
  });

  it('tries both tfjs-node packages for tensorflow and says why each failed', async () => {
    const error = await rejection(prepareBackend('tensorflow', { loader: brokenNative }));
    expect(isGraftError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /^Cannot use backend "tensorflow": @tensorflow\/tfjs-node-gpu is installed but failed to load .*; @tensorflow\/tfjs-node is installed but failed/,
    );
  });

  it('refuses an unknown backend name with INVALID_ARGUMENT', async () => {
    const error = await rejection(prepareBackend('webgl' as 'cpu'));
    expect(isGraftError(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});
