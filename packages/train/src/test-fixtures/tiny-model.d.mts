import type * as tf from '@tensorflow/tfjs';

export function buildTinyModel(tfjs: typeof tf, options?: { grown?: boolean }): tf.Sequential;
export const KILL_RUN: {
  readonly epochs: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly trainable: 'new';
  readonly unfreezeAfter: number;
  readonly progress: 'none';
};
export const KILL_LIMIT: { readonly train: number; readonly test: number };
export function weightBytes(model: tf.LayersModel): Map<string, Buffer>;
