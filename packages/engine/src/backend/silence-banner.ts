import * as tf from '@tensorflow/tfjs';

/**
 * Stops tfjs' cpu backend from printing its "looks like you are running TensorFlow.js in Node.js" banner the
 * first time it stores a tensor. Only that banner is affected: other tfjs warnings still reach the console.
 * Call it before the first tensor is created; `useBestBackend` does.
 */
export function silenceTfjsBanner(): void {
  // The banner is guarded by a per-instance `firstUse` flag; clearing it is narrower than tfjs' PROD flag,
  // which would silence every tfjs warning for the whole process.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}
