import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor4D } from '@tensorflow/tfjs';
import { dilatedConvGradient } from './override.js';

/**
 * The DepthwiseConv2dNative gradient with dilations > 1 on wasm (tfjs' own gradient rejects them on every
 * backend); graft's wasm kernels take the dilations. Elsewhere, and without dilation, it defers to the gradient
 * it replaced.
 */
export const depthwiseConv2dGradOverride = dilatedConvGradient(tf.DepthwiseConv2dNative, (dy, x, filter, attrs, dilations) => {
  const { strides, pad, dimRoundingMode } = attrs;
  const common = { strides, pad, dimRoundingMode, dilations };
  return {
    x: () =>
      tf.engine().runKernel<Tensor4D>(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, {
        ...common,
        inputShape: x.shape,
      } as unknown as NamedAttrMap),
    filter: () =>
      tf.engine().runKernel<Tensor4D>(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, {
        ...common,
        filterShape: filter.shape,
      } as unknown as NamedAttrMap),
  };
});
