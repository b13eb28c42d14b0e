import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { pair } from './kernel-calls.js';
import { dilatedConvGradient } from './override.js';

/** Spreads a `[kh, kw, a, b]` filter over its dilated footprint, zeros between taps. */
function dilateFilterTensor(filter: Tensor, [dh, dw]: [number, number]): Tensor4D {
  return tf.tidy(() => {
    const [kh = 1, kw = 1, a = 1, b = 1] = filter.shape;
    const tallH = (kh - 1) * dh + 1;
    const wideW = (kw - 1) * dw + 1;
    const rows = tf.pad(tf.reshape(filter, [kh, 1, kw, a * b]), [[0, 0], [0, dh - 1], [0, 0], [0, 0]]);
    const tall = tf.slice(tf.reshape(rows, [kh * dh, kw, a * b]), [0, 0, 0], [tallH, kw, a * b]);
    const cols = tf.pad(tf.reshape(tall, [tallH, kw, 1, a * b]), [[0, 0], [0, 0], [0, dw - 1], [0, 0]]);
    const wide = tf.slice(tf.reshape(cols, [tallH, kw * dw, a * b]), [0, 0, 0], [tallH, wideW, a * b]);
    return tf.reshape(wide, [tallH, wideW, a, b]);
  });
}

/**
 * The Conv2D gradient with dilations > 1 on wasm (tfjs' own gradient rejects them on every backend). Elsewhere,
 * and for undilated convolutions, it defers to the gradient it replaced.
 */
export const conv2DGradOverride = dilatedConvGradient(tf.Conv2D, (dy, x, filter, attrs, dilations) => {
  const strides = pair(attrs['strides'], 'strides');
  if (strides[0] !== 1 || strides[1] !== 1) {
    throw new GraftError('KERNEL_UNSUPPORTED', `Conv2D gradient: strides ${strides.join(',')} with dilations ${dilations.join(',')}; one of them must be 1.`);
  }
  const { pad, dataFormat, dimRoundingMode } = attrs;
  return {
    x: () => tf.conv2dTranspose(dy, dilateFilterTensor(filter, dilations), x.shape, 1, pad as 'same', dimRoundingMode as 'floor' | undefined),
    filter: () =>
      tf.engine().runKernel<Tensor4D>(
        tf.Conv2DBackpropFilter,
        { x, dy },
        { strides, pad, dataFormat, dimRoundingMode, filterShape: filter.shape, dilations } as unknown as NamedAttrMap,
      ),
  };
});
