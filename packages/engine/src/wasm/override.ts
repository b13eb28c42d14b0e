import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { pair } from './kernel-calls.js';
import { GraftError } from '@graft/core';

/**
 * One entry of graft's list of wasm overrides ({@link WASM_OVERRIDES}): a kernel registered for `wasm` (new, or
 * wrapping tfjs-backend-wasm's own, which `make` receives), a gradient that replaces tfjs' for every backend and
 * defers to the original wherever graft's version does not apply, or a tfjs method replaced the same way.
 */
export type WasmOverride =
  | {
      readonly kind: 'kernel';
      readonly kernelName: string;
      /** Builds the kernel from tfjs-backend-wasm's own (`undefined` when wasm has none). */
      readonly make: (original: KernelConfig | undefined) => KernelFunc;
    }
  | {
      readonly kind: 'gradient';
      readonly kernelName: string;
      /** Builds the gradient from tfjs' own (`undefined` when tfjs has none). */
      readonly make: (original: GradConfig | undefined) => GradConfig;
    }
  | {
      /** A tfjs method replaced by one that does the same work in fewer kernels on wasm (and defers elsewhere). */
      readonly kind: 'method';
      readonly kernelName: string;
      readonly install: () => void;
    };

/** A kernel for `wasm` built from the one it replaces. */
export function wasmKernel(kernelName: string, make: (original: KernelConfig | undefined) => KernelFunc): WasmOverride {
  return { kind: 'kernel', kernelName, make };
}

/** A gradient built from the one it replaces. */
export function gradient(kernelName: string, make: (original: GradConfig | undefined) => GradConfig): WasmOverride {
  return { kind: 'gradient', kernelName, make };
}

/**
 * The gradient of a conv kernel (saving `x` and `filter`) that takes dilations > 1 on wasm, where tfjs' own rejects
 * them on every backend: `dilated` computes it there; elsewhere, and undilated, the gradient it replaces runs.
 */
export function dilatedConvGradient(
  kernelName: string,
  dilated: (dy: Tensor4D, x: Tensor4D, filter: Tensor4D, attrs: NamedAttrMap, dilations: [number, number]) => Record<string, () => Tensor>,
): WasmOverride {
  return gradient(kernelName, (tfjsGradient) => {
    const original = required(tfjsGradient, kernelName, 'gradient');
    return {
      kernelName,
      inputsToSave: ['x', 'filter'],
      gradFunc: (dy, saved, attrs: NamedAttrMap) => {
        const dilations = pair(attrs['dilations'], 'dilations');
        if (tf.getBackend() !== 'wasm' || (dilations[0] === 1 && dilations[1] === 1)) return original.gradFunc(dy, saved, attrs);
        const [x, filter] = saved as [Tensor4D, Tensor4D];
        return dilated((Array.isArray(dy) ? dy[0] : dy) as Tensor4D, x, filter, attrs, dilations);
      },
    };
  });
}

/** What was applied, as `kind:name`, so applying an override twice never stacks wrappers. */
const applied = new Set<string>();

/**
 * Registers `override` once per process: later calls are no-ops. A wrapped wasm kernel keeps the original's setup
 * and dispose hooks.
 */
export function applyOverride(override: WasmOverride): void {
  const key = `${override.kind}:${override.kernelName}`;
  if (applied.has(key)) return;
  if (override.kind === 'method') {
    override.install();
  } else if (override.kind === 'gradient') {
    tf.registerGradient({ ...override.make(tf.getGradient(override.kernelName)), kernelName: override.kernelName });
  } else {
    const original = tf.getKernel(override.kernelName, 'wasm');
    const replacement: KernelConfig = { kernelName: override.kernelName, backendName: 'wasm', kernelFunc: override.make(original) };
    if (original?.setupFunc !== undefined) replacement.setupFunc = original.setupFunc;
    if (original?.disposeFunc !== undefined) replacement.disposeFunc = original.disposeFunc;
    if (original !== undefined) tf.unregisterKernel(override.kernelName, 'wasm');
    tf.registerKernel(replacement);
  }
  applied.add(key);
}

/**
 * The original kernel or gradient an override wraps.
 *
 * @throws GraftError('KERNEL_UNSUPPORTED') where tfjs should have had one (another tfjs version).
 */
export function required<T extends KernelConfig | GradConfig>(original: T | undefined, kernelName: string, what = 'wasm kernel'): T {
  if (original === undefined) {
    throw new GraftError('KERNEL_UNSUPPORTED', `tfjs registers no ${what} "${kernelName}" for graft to wrap; expected tfjs 4.22.`);
  }
  return original;
}
