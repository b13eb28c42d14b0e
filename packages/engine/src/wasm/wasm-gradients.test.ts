import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError, seededRandom } from '@graft/core';
import { enableWasmTraining } from './enable-wasm-training.js';
import { describeEachSimdFlavor } from '../test-support/kernels.js';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type RoundingMode = 'floor' | 'round' | 'ceil';

interface ConvCase {
  readonly kind: 'conv2d' | 'depthwise';
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: RoundingMode;
}

/** Seeded values to pick shapes and values: core's one RNG. */
const makeRandom = seededRandom;

function randomCase(random: () => number, kind: ConvCase['kind']): ConvCase {
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  for (;;) {
    const channels = int(1, 4);
    const xShape: ConvCase['xShape'] = [int(1, 2), int(3, 9), int(3, 9), channels];
    const filterShape: ConvCase['filterShape'] = [int(1, 3), int(1, 3), channels, kind === 'conv2d' ? int(1, 4) : int(1, 3)];
    const dilated = random() < 0.3;
    const strides: [number, number] = dilated ? [1, 1] : [int(1, 3), int(1, 3)];
    const dilations: [number, number] = dilated ? [int(1, 2), int(2, 3)] : [1, 1];
    const padKind = int(0, 3);
    const pad: Pad =
      padKind === 0 ? 'valid' : padKind === 1 ? 'same' : padKind === 2 ? int(0, 2) : [[0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)], [0, 0]];
    const rounding: RoundingMode | undefined = typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[int(0, 2)] : undefined;
    const candidate: ConvCase = { kind, xShape, filterShape, strides, dilations, pad, ...(rounding ? { dimRoundingMode: rounding } : {}) };
    const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, rounding, kind === 'depthwise');
    if (info.outHeight > 0 && info.outWidth > 0) return candidate;
  }
}

function randomValues(random: () => number, shape: number[]): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
}

/** The same filter spread over its dilated footprint: conv(x, f, dilation d) == conv(x, spread(f), 1). */
function spreadFilter(values: Float32Array, shape: ConvCase['filterShape'], [dh, dw]: [number, number]): { values: Float32Array; shape: ConvCase['filterShape'] } {
  const [kh, kw, a, b] = shape;
  const out: ConvCase['filterShape'] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, a, b];
  const spread = new Float32Array(out.reduce((p, q) => p * q, 1));
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < a * b; k++) {
    spread[((i * dh) * out[1] + j * dw) * a * b + k] = values[(i * kw + j) * a * b + k] ?? 0;
  }
  return { values: spread, shape: out };
}

/** dL/dx and dL/dfilter of L = sum(conv(x, filter) * weights), on the current backend. */
function convGradients(c: ConvCase, x: Float32Array, filter: Float32Array, filterShape: ConvCase['filterShape'], dilations: [number, number], seed: number) {
  return tf.tidy(() => {
    const xT = tf.tensor4d(x, c.xShape);
    const fT = tf.tensor4d(filter, filterShape);
    const forward = (xi: tf.Tensor4D, fi: tf.Tensor4D): tf.Tensor4D =>
      c.kind === 'conv2d'
        ? tf.conv2d(xi, fi, c.strides, c.pad, 'NHWC', dilations, c.dimRoundingMode)
        : tf.depthwiseConv2d(xi, fi, c.strides, c.pad, 'NHWC', dilations, c.dimRoundingMode);
    const yShape = forward(xT, fT).shape;
    const weights = tf.tensor(randomValues(makeRandom(seed), yShape), yShape);
    const [dx, df] = tf.grads((xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.mul(forward(xi as tf.Tensor4D, fi as tf.Tensor4D), weights)))([xT, fT]);
    return { y: Float32Array.from(forward(xT, fT).dataSync()), dx: Float32Array.from(dx!.dataSync()), df: Float32Array.from(df!.dataSync()) };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
  expect(worst / scale, `${what}: max |wasm - cpu| / scale`).toBeLessThanOrEqual(1e-4);
}

async function compareWithCpu(c: ConvCase, seed: number): Promise<void> {
  const random = makeRandom(seed);
  const x = randomValues(random, c.xShape);
  const filter = randomValues(random, c.filterShape);
  await tf.setBackend('wasm');
  const wasm = convGradients(c, x, filter, c.filterShape, c.dilations, seed + 1);
  // cpu cannot differentiate dilated convolutions; the spread filter gives the same function undilated.
  await tf.setBackend('cpu');
  const spread = spreadFilter(filter, c.filterShape, c.dilations);
  const cpu = convGradients(c, x, spread.values, spread.shape, [1, 1], seed + 1);
  const cpuDf = spreadFilter(new Float32Array(filter.length), c.filterShape, c.dilations).values.map((_, i) => cpu.df[i] ?? 0);
  const [kh, kw, a, b] = c.filterShape;
  const [dh, dw] = c.dilations;
  const cpuFilterGrad = new Float32Array(filter.length);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < a * b; k++) {
    cpuFilterGrad[(i * kw + j) * a * b + k] = cpuDf[((i * dh) * spread.shape[1] + j * dw) * a * b + k] ?? NaN;
  }
  const label = JSON.stringify(c);
  expectClose(wasm.y, cpu.y, `forward ${label}`);
  expectClose(wasm.dx, cpu.dx, `dx ${label}`);
  expectClose(wasm.df, cpuFilterGrad, `dfilter ${label}`);
}

describe('wasm conv gradients match cpu', () => {
  beforeAll(async () => {
    await enableWasmTraining();
    // IS_TEST makes tfjs check every kernel for leaked intermediate buffers.
    tf.env().set('IS_TEST', true);
  });

  const random = makeRandom(20240607);
  const cases = [
    ...Array.from({ length: 40 }, () => randomCase(random, 'conv2d')),
    ...Array.from({ length: 40 }, () => randomCase(random, 'depthwise')),
  ];
  it.each(cases.map((c, i) => [i, c.kind, c] as const))('case %i (%s)', async (i, _kind, c) => {
    await compareWithCpu(c, 1000 + i);
  });

  it('covers the strided "same" convolutions tfjs-backend-wasm gets wrong on its own', async () => {
    await compareWithCpu(
      { kind: 'conv2d', xShape: [1, 8, 9, 2], filterShape: [3, 2, 2, 3], strides: [2, 3], dilations: [1, 1], pad: 'same' },
      7,
    );
    await compareWithCpu(
      { kind: 'depthwise', xShape: [2, 8, 9, 2], filterShape: [3, 2, 2, 2], strides: [2, 3], dilations: [1, 1], pad: 'same' },
      8,
    );
  });

  // Conv2DBackpropInput runs as a forward conv of the flipped, channel-swapped filter and Conv2DBackpropFilter as a
  // forward conv of x by dy: many channels, both paddings, strides 1 and 2, odd and even sizes.
  it.each([
    ['same', [1, 1], [2, 9, 9, 16], [3, 3, 16, 12]],
    ['valid', [1, 1], [2, 9, 8, 16], [3, 3, 16, 12]],
    ['same', [2, 2], [2, 9, 10, 12], [3, 3, 12, 16]],
    ['valid', [2, 2], [1, 10, 9, 12], [3, 2, 12, 16]],
    ['same', [2, 1], [1, 8, 7, 32], [3, 3, 32, 32]],
    [[[0, 0], [2, 0], [1, 2], [0, 0]], [1, 2], [1, 7, 8, 20], [2, 3, 20, 24]],
    // Few input channels, many outputs: the filter gradient takes the patch-matrix path.
    ['same', [2, 2], [2, 9, 9, 1], [3, 3, 1, 12]],
    ['valid', [1, 1], [2, 9, 8, 2], [2, 2, 2, 8]],
  ] as const)('conv2d with many channels, pad %j, strides %j', async (pad, strides, xShape, filterShape) => {
    await compareWithCpu(
      { kind: 'conv2d', xShape: [...xShape], filterShape: [...filterShape], strides: [...strides], dilations: [1, 1], pad: pad as Pad },
      31,
    );
  });

  // Stride-1 undilated filter gradients with output channels in fours take the SIMD tap-by-tap path.
  it.each([
    ['same', [2, 9, 9, 8], [3, 3, 8, 8]],
    ['valid', [2, 9, 7, 5], [3, 3, 5, 4]],
    ['same', [1, 6, 11, 3], [5, 5, 3, 12]],
    ['valid', [3, 5, 5, 6], [1, 1, 6, 8]],
    ['same', [1, 4, 4, 7], [4, 2, 7, 20]],
    [[[0, 0], [2, 1], [0, 3], [0, 0]], [2, 6, 5, 3], [3, 2, 3, 4]],
    [1, [1, 7, 8, 2], [3, 3, 2, 16]],
    ['valid', [1, 3, 3, 4], [3, 3, 4, 4]],
  ] as const)('conv2d filter gradient by taps, pad %j, x %j, filter %j', async (pad, xShape, filterShape) => {
    await compareWithCpu(
      { kind: 'conv2d', xShape: [...xShape], filterShape: [...filterShape], strides: [1, 1], dilations: [1, 1], pad: pad as Pad },
      53,
    );
  });

  // Forward convs with 8+ input channels and output channels in fours, and stride-1 input gradients, run tap by tap
  // on graft's register-blocked SIMD product: with fused multiply-adds (relaxed SIMD) and with a multiply then an add.
  const tapRandom = makeRandom(9090);
  const tapInt = (lo: number, hi: number): number => lo + Math.floor(tapRandom() * (hi - lo + 1));
  const tapCases = Array.from({ length: 12 }, (_, i): ConvCase => {
    const inChannels = tapInt(8, 20);
    const dilated = i % 4 === 3;
    const pads: Pad[] = ['same', 'valid', tapInt(0, 2), [[0, 0], [tapInt(0, 2), tapInt(0, 2)], [tapInt(0, 2), tapInt(0, 2)], [0, 0]]];
    return {
      kind: 'conv2d',
      xShape: [tapInt(1, 3), tapInt(5, 11), tapInt(5, 11), inChannels],
      filterShape: [tapInt(1, 3), tapInt(1, 3), inChannels, 4 * tapInt(1, 7)],
      strides: dilated || i % 3 !== 2 ? [1, 1] : [tapInt(1, 2), tapInt(1, 3)],
      dilations: dilated ? [tapInt(1, 2), 2] : [1, 1],
      pad: pads[i % 4] ?? 'same',
      ...(typeof pads[i % 4] === 'number' ? { dimRoundingMode: 'floor' as const } : {}),
    };
  });
  describeEachSimdFlavor(() => {
    it.each(tapCases.map((c, i) => [i, JSON.stringify(c.xShape), JSON.stringify(c.filterShape), c] as const))(
      'tap-by-tap case %i: x %s, filter %s',
      async (i, _x, _f, c) => {
        await compareWithCpu(c, 4000 + i);
      },
    );
    it('the conv gate channels (32→32, 3×3, same)', async () => {
      await compareWithCpu({ kind: 'conv2d', xShape: [2, 12, 13, 32], filterShape: [3, 3, 32, 32], strides: [1, 1], dilations: [1, 1], pad: 'same' }, 61);
    });
  });

  it('runs tf.conv2dTranspose (Conv2DBackpropInput) like cpu', async () => {
    const random = makeRandom(77);
    const cases: { outShape: [number, number, number, number]; filterShape: [number, number, number, number]; strides: number | [number, number]; pad: 'same' | 'valid' | number }[] = [
      { outShape: [2, 9, 9, 16], filterShape: [3, 3, 16, 12], strides: 1, pad: 'same' },
      { outShape: [2, 10, 9, 16], filterShape: [3, 3, 16, 12], strides: 2, pad: 'same' },
      { outShape: [1, 11, 11, 8], filterShape: [3, 3, 8, 5], strides: 2, pad: 'valid' },
      { outShape: [1, 9, 9, 4], filterShape: [2, 3, 4, 6], strides: [2, 1], pad: 1 },
    ];
    for (const c of cases) {
      const rounding = typeof c.pad === 'number' ? 'floor' : undefined;
      const info = tf.backend_util.computeConv2DInfo(c.outShape, c.filterShape, c.strides, 1, c.pad, rounding);
      const dyShape = [c.outShape[0], info.outHeight, info.outWidth, c.filterShape[3]];
      const dy = randomValues(random, dyShape);
      const filter = randomValues(random, c.filterShape);
      const run = (): Float32Array =>
        tf.tidy(() => {
          const out = tf.conv2dTranspose(tf.tensor4d(dy, dyShape as [number, number, number, number]), tf.tensor4d(filter, c.filterShape), c.outShape, c.strides, c.pad, rounding);
          return Float32Array.from(out.dataSync());
        });
      await tf.setBackend('wasm');
      const wasm = run();
      await tf.setBackend('cpu');
      expectClose(wasm, run(), `conv2dTranspose ${JSON.stringify(c)}`);
    }
  });

  it('refuses channels-first data with KERNEL_UNSUPPORTED', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 3, 3]);
    let caught: unknown;
    try {
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NCHW',
        filterShape: [3, 3, 2, 3],
      });
    } catch (error) {
      caught = error;
    }
    tf.dispose([x, dy]);
    expect(isGraftError(caught, 'KERNEL_UNSUPPORTED')).toBe(true);
    expect(String((caught as Error).message)).toMatch(/NHWC/);
  });
});
