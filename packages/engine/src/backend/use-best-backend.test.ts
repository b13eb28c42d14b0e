import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { availableBackends } from './available-backends.js';
import { describeBackend } from './describe-backend.js';
import { useBestBackend } from './use-best-backend.js';
import { brokenNative, rejection } from '../test-support/kernels.js';

function installed(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

const hasTfjsNode = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

describe('useBestBackend', () => {
  it.skipIf(hasTfjsNode)('falls back to wasm and records why each tfjs-node package was skipped (tfjs-node absent)', async () => {
    const resolution = await useBestBackend(undefined, { env: {} });
    expect(resolution.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(resolution.forcedBy).toBeNull();
    expect(resolution.tried.map((t) => [t.package, t.ok])).toEqual([
      ['@tensorflow/tfjs-node-gpu', false],
      ['@tensorflow/tfjs-node', false],
      ['@tensorflow/tfjs-backend-wasm', true],
    ]);
    expect(resolution.tried[0]?.reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
    expect(resolution.tried[1]?.reason).toBe('@tensorflow/tfjs-node is not installed');
    expect(resolution.why).toContain('@tensorflow/tfjs-node is not installed');
  });

  it.skipIf(!hasTfjsNode)('picks tensorflow when tfjs-node is installed', async () => {
    const resolution = await useBestBackend(undefined, { env: {} });
    expect(resolution.name).toBe('tensorflow');
  });

  it('says when a native library failed to load rather than being absent', async () => {
    const resolution = await useBestBackend(undefined, { env: {}, loader: brokenNative });
    expect(resolution.name).toBe('wasm');
    expect(resolution.tried[0]?.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is installed but failed to load \(native library or dependency missing\): libtensorflow/);
    expect(resolution.tried[1]?.reason).toMatch(/tfjs-node is installed but failed to load/);
  });

  it.skipIf(hasTfjsNode)('throws BACKEND_UNAVAILABLE with an install hint when tensorflow is forced but absent', async () => {
    const error = await rejection(useBestBackend('tensorflow', { env: {} }));
    expect(isGraftError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('@tensorflow/tfjs-node is not installed');
    expect(message).toContain('install `@tensorflow/tfjs-node`');
    expect(message).not.toContain('\n');
  });

  it('honours GRAFT_BACKEND, and the argument over it', async () => {
    const fromEnv = await useBestBackend(undefined, { env: { GRAFT_BACKEND: 'cpu' } });
    expect([fromEnv.name, fromEnv.forcedBy, tf.getBackend()]).toEqual(['cpu', 'GRAFT_BACKEND', 'cpu']);
    expect(fromEnv.tried).toHaveLength(1);
    expect(describeBackend(fromEnv)).toBe('backend: cpu (@tensorflow/tfjs) — GRAFT_BACKEND=cpu was set');
    const fromArgument = await useBestBackend('wasm', { env: { GRAFT_BACKEND: 'cpu' } });
    expect([fromArgument.name, fromArgument.forcedBy]).toEqual(['wasm', 'argument']);
  });

  it.skipIf(hasTfjsNode)('names GRAFT_BACKEND in the error when it forces an unavailable backend', async () => {
    const error = await rejection(useBestBackend(undefined, { env: { GRAFT_BACKEND: 'tensorflow' } }));
    expect(isGraftError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^Cannot use GRAFT_BACKEND=tensorflow: /);
  });

  it('rejects an unknown backend name with INVALID_ARGUMENT', async () => {
    const error = await rejection(useBestBackend(undefined, { env: { GRAFT_BACKEND: 'webgpu' } }));
    expect(isGraftError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain('GRAFT_BACKEND must be one of tensorflow, wasm, cpu. Actual: "webgpu".');
  });

  it('lists the backends that start here and restores the current one', async () => {
    await useBestBackend('cpu', { env: {} });
    const found = await availableBackends();
    expect(found).toEqual(hasTfjsNode ? ['tensorflow', 'wasm', 'cpu'] : ['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('describeBackend', () => {
  it('prints the backend, its package and why, on one line', () => {
    const line = describeBackend({
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      forcedBy: null,
      tried: [],
      why: 'fastest available (@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed)',
    });
    expect(line).toBe(
      'backend: wasm (@tensorflow/tfjs-backend-wasm) — fastest available (@tensorflow/tfjs-node-gpu is not installed; ' +
        '@tensorflow/tfjs-node is not installed)',
    );
  });
});
