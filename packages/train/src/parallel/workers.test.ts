import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { mnistSeed } from '@graft/models';
import { buildTinyModel } from '../test-fixtures/tiny-model.mjs';
import { workerCount, trainingFlopsPerSample } from './workers.js';

const wasm = { batchSize: 32, backend: 'wasm', cores: 2 };

describe('trainingFlopsPerSample', () => {
  it('counts a conv per output pixel and a dense once, times 6 for forward and backward', () => {
    // conv 3×3×1×32 + 32 biases at 26×26 pixels; dense 21632×20 + 20; dense 20×10 + 10.
    expect(trainingFlopsPerSample(mnistSeed())).toBe(6 * (320 * 676 + 432_660 + 210));
  });
});

describe('workerCount', () => {
  it("'auto' takes every core when each gets 100 MFLOP per step, else one, saying why", () => {
    const seed = workerCount(mnistSeed(), 'auto', wasm);
    expect(seed).toEqual({ workers: 1, why: 'workers: 1 (auto: ~125 MFLOP per step, under 200 MFLOP worth splitting)' });
    const larger = workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 64 });
    expect(larger.workers).toBe(2);
    expect(larger.why).toBe('workers: 2 of 2 cores (auto: ~249 MFLOP per step, ≥ 100 MFLOP per worker)');
    expect(workerCount(buildTinyModel(tf), 'auto', wasm).why).toMatch(/^workers: 1 \(auto: ~2\.5 MFLOP per step/);
    expect(workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 256, cores: 16 }).workers).toBe(9);
    expect(workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 4096, cores: 16 }).workers).toBe(16);
  });

  it("'auto' stays on one worker for a backend that threads by itself, one core, or no worker threads", () => {
    expect(workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 256, backend: 'tensorflow' })).toEqual({ workers: 1, why: 'workers: 1 (auto: the tensorflow backend threads by itself)' });
    expect(workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 256, cores: 1 }).workers).toBe(1);
    expect(workerCount(mnistSeed(), 'auto', { ...wasm, batchSize: 256, cores: 0 }).why).toMatch(/no worker threads/);
  });

  it('takes a number as given, and refuses a bad one or threads on a backend that cannot have them', () => {
    expect(workerCount(buildTinyModel(tf), 3, wasm)).toEqual({ workers: 3, why: 'workers: 3 (asked for, 2 cores)' });
    expect(workerCount(buildTinyModel(tf), 1, { ...wasm, backend: 'tensorflow' }).workers).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => workerCount(buildTinyModel(tf), bad, wasm)).toThrow(/workers must be 'auto' or a positive integer/);
    }
    const refusal = (() => {
      try {
        workerCount(buildTinyModel(tf), 2, { ...wasm, backend: 'tensorflow' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isGraftError(refusal, 'INVALID_ARGUMENT')).toBe(true);
    expect(() => workerCount(buildTinyModel(tf), 2, { ...wasm, cores: 0 })).toThrow(/worker threads/);
  });
});
