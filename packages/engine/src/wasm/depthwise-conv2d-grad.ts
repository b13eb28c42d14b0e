import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { pair } from './kernel-calls.js';
import { gradient, required } from './override.js';

/**
 * The DepthwiseConv2dNative gradient with dilations > 1 on wasm (tfjs' own gradient rejects them on every
 * backend); graft's wasm kernels take the dilations. Elsewhere, and without dilation, it defers to the gradient
 * it replaced.
 */
function makeDepthwiseConv2dGradConfig(original: GradConfig): GradConfig {
  return {
    kernelName: tf.DepthwiseConv2dNative,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      const dilations = pair(attrs['dilations'], 'dilations');
      if (tf.getBackend() !== 'wasm' || (dilations[0] === 1 && dilations[1] === 1)) {
        return original.gradFunc(dy, saved, attrs);
      }
      const [x, filter] = saved as [Tensor4D, Tensor4D];
      const dy4d = (Array.isArray(dy) ? dy[0] : dy) as Tensor;
      const { strides, pad, dimRoundingMode } = attrs;
      const common = { strides, pad, dimRoundingMode, dilations };
      return {
        x: () =>
          tf.engine().runKernel<Tensor4D>(tf.DepthwiseConv2dNativeBackpropInput, { dy: dy4d, filter }, {
            ...common,
            inputShape: x.shape,
          } as unknown as NamedAttrMap),
        filter: () =>
          tf.engine().runKernel<Tensor4D>(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: dy4d }, {
            ...common,
            filterShape: filter.shape,
          } as unknown as NamedAttrMap),
      };
    },
  };
}

/** DepthwiseConv2dNative's gradient, taking dilations on wasm. */
export const depthwiseConv2dGradOverride = gradient(tf.DepthwiseConv2dNative, (original) => makeDepthwiseConv2dGradConfig(required(original, tf.DepthwiseConv2dNative, 'gradient')));
