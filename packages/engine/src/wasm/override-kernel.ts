import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';

const overridden = new Set<string>();

/**
 * Replaces the `wasm` kernel `kernelName` with `wrap(original)`, once: later calls are no-ops, so wrappers never
 * stack. Does nothing when tfjs-backend-wasm has no such kernel. The original's setup and dispose hooks are kept.
 */
export function overrideWasmKernel(kernelName: string, wrap: (original: KernelConfig) => KernelConfig): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (original === undefined || overridden.has(kernelName)) return;
  const replacement: KernelConfig = { ...wrap(original), kernelName, backendName: 'wasm' };
  if (original.setupFunc !== undefined) replacement.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) replacement.disposeFunc = original.disposeFunc;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(replacement);
  overridden.add(kernelName);
}
