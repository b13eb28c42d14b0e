import * as tf from '@tensorflow/tfjs';

/** What a case's first layer is given in its Sequential form (`inputShape`), and nothing in its functional form. */
export type FirstLayerArgs = { readonly inputShape?: number[]; readonly dtype?: 'float32' | 'int32' };

/**
 * One standard tfjs-layers class, in a small model that exercises it. Used to check that every class tfjs registers
 * survives `toGraph` → `fromGraph` bit for bit.
 */
export interface LayerCase {
  /** What the case is called in test names; the class name unless a class has several cases. */
  readonly name: string;
  /** The registered classes (`tf.serialization` names) the case covers, wrappers and cells included. */
  readonly covers: readonly string[];
  /** Shape of one input sample, without the batch dimension. */
  readonly inputShape: readonly number[];
  /** Inputs are integer ids in [0, ids) instead of floats in [-1, 1]. */
  readonly ids?: number;
  /** Number of model inputs of that shape; merge layers take two and have no Sequential form. */
  readonly inputCount?: number;
  /** A fresh layer with seeded initialisers; `first` is spread into its arguments (the Sequential form's input). */
  layer(first: FirstLayerArgs): tf.layers.Layer;
  /** Layers applied after it, e.g. an LSTM consuming an Embedding's mask. */
  readonly then?: () => tf.layers.Layer[];
}

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
const bias = (seed: number) => tf.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed });
const w = (seed: number) => ({ kernelInitializer: seeded(seed), biasInitializer: bias(seed + 1) });
const rnn = (seed: number) => ({ ...w(seed), recurrentInitializer: seeded(seed + 2) });
const L = tf.layers;

/** Every case; together with {@link NOT_COVERED} they name every layer class tfjs 4.22 registers. */
export const LAYER_CASES: readonly LayerCase[] = [
  { name: 'Activation', covers: ['Activation'], inputShape: [5], layer: (f) => L.activation({ activation: 'gelu', ...f }) },
  { name: 'Add', covers: ['Add'], inputShape: [5], inputCount: 2, layer: (f) => L.add(f) },
  { name: 'AlphaDropout', covers: ['AlphaDropout'], inputShape: [5], layer: (f) => L.alphaDropout({ rate: 0.3, ...f }) },
  { name: 'Average', covers: ['Average'], inputShape: [5], inputCount: 2, layer: (f) => L.average(f) },
  { name: 'AveragePooling1D', covers: ['AveragePooling1D'], inputShape: [6, 3], layer: (f) => L.averagePooling1d({ poolSize: 2, ...f }) },
  { name: 'AveragePooling2D', covers: ['AveragePooling2D'], inputShape: [6, 6, 2], layer: (f) => L.averagePooling2d({ poolSize: 2, padding: 'same', ...f }) },
  { name: 'AveragePooling3D', covers: ['AveragePooling3D'], inputShape: [4, 4, 4, 2], layer: (f) => L.averagePooling3d({ poolSize: 2, ...f }) },
  {
    name: 'BatchNormalization', covers: ['BatchNormalization'], inputShape: [5],
    layer: (f) => L.batchNormalization({ betaInitializer: bias(3), gammaInitializer: bias(4), movingMeanInitializer: bias(5), movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: 6 }), ...f }),
  },
  { name: 'Bidirectional(LSTM)', covers: ['Bidirectional', 'LSTM'], inputShape: [4, 3], layer: (f) => L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true, ...rnn(7) }), mergeMode: 'concat', ...f }) },
  { name: 'Bidirectional(GRU) sum', covers: ['Bidirectional', 'GRU'], inputShape: [4, 3], layer: (f) => L.bidirectional({ layer: L.gru({ units: 3, ...rnn(8) }), mergeMode: 'sum', ...f }) },
  { name: 'Concatenate', covers: ['Concatenate'], inputShape: [5], inputCount: 2, layer: (f) => L.concatenate(f) },
  { name: 'Conv1D', covers: ['Conv1D'], inputShape: [7, 3], layer: (f) => L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', ...w(9), ...f }) },
  { name: 'Conv1D dilated', covers: ['Conv1D'], inputShape: [7, 3], layer: (f) => L.conv1d({ filters: 4, kernelSize: 2, dilationRate: 2, ...w(10), ...f }) },
  { name: 'Conv2D', covers: ['Conv2D'], inputShape: [6, 6, 2], layer: (f) => L.conv2d({ filters: 3, kernelSize: 3, strides: 2, ...w(11), ...f }) },
  { name: 'Conv2DTranspose', covers: ['Conv2DTranspose'], inputShape: [4, 4, 2], layer: (f) => L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', ...w(12), ...f }) },
  { name: 'Conv3D', covers: ['Conv3D'], inputShape: [4, 4, 4, 2], layer: (f) => L.conv3d({ filters: 2, kernelSize: 2, ...w(13), ...f }) },
  { name: 'Conv3DTranspose', covers: ['Conv3DTranspose'], inputShape: [3, 3, 3, 2], layer: (f) => L.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, ...w(14), ...f }) },
  { name: 'ConvLSTM2D', covers: ['ConvLSTM2D', 'ConvLSTM2DCell'], inputShape: [3, 5, 5, 2], layer: (f) => L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', ...rnn(15), ...f }) },
  { name: 'Cropping2D', covers: ['Cropping2D'], inputShape: [6, 6, 2], layer: (f) => L.cropping2D({ cropping: [[1, 0], [0, 2]], ...f }) },
  { name: 'Dense', covers: ['Dense'], inputShape: [5], layer: (f) => L.dense({ units: 4, activation: 'tanh', ...w(16), ...f }) },
  { name: 'Dense per token', covers: ['Dense'], inputShape: [4, 5], layer: (f) => L.dense({ units: 3, ...w(17), ...f }) },
  { name: 'DepthwiseConv2D', covers: ['DepthwiseConv2D'], inputShape: [6, 6, 2], layer: (f) => L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, depthwiseInitializer: seeded(18), biasInitializer: bias(19), ...f }) },
  { name: 'Dot', covers: ['Dot'], inputShape: [4, 3], inputCount: 2, layer: (f) => L.dot({ axes: [2, 2], ...f }) },
  { name: 'Dropout', covers: ['Dropout'], inputShape: [5], layer: (f) => L.dropout({ rate: 0.5, ...f }) },
  { name: 'ELU', covers: ['ELU'], inputShape: [5], layer: (f) => L.elu(f) },
  { name: 'Embedding', covers: ['Embedding'], inputShape: [5], ids: 10, layer: (f) => L.embedding({ inputDim: 10, outputDim: 4, embeddingsInitializer: bias(20), ...f }) },
  {
    name: 'Embedding mask_zero → LSTM', covers: ['Embedding', 'LSTM'], inputShape: [5], ids: 10,
    layer: (f) => L.embedding({ inputDim: 10, outputDim: 4, maskZero: true, embeddingsInitializer: bias(21), ...f }),
    then: () => [L.lstm({ units: 3, ...rnn(22) })],
  },
  { name: 'Flatten', covers: ['Flatten'], inputShape: [3, 4], layer: (f) => L.flatten(f) },
  { name: 'GaussianDropout', covers: ['GaussianDropout'], inputShape: [5], layer: (f) => L.gaussianDropout({ rate: 0.3, ...f }) },
  { name: 'GaussianNoise', covers: ['GaussianNoise'], inputShape: [5], layer: (f) => L.gaussianNoise({ stddev: 0.3, ...f }) },
  { name: 'GlobalAveragePooling1D', covers: ['GlobalAveragePooling1D'], inputShape: [6, 3], layer: (f) => L.globalAveragePooling1d(f) },
  { name: 'GlobalAveragePooling2D', covers: ['GlobalAveragePooling2D'], inputShape: [4, 4, 3], layer: (f) => L.globalAveragePooling2d(f) },
  { name: 'GlobalMaxPooling1D', covers: ['GlobalMaxPooling1D'], inputShape: [6, 3], layer: (f) => L.globalMaxPooling1d(f) },
  { name: 'GlobalMaxPooling2D', covers: ['GlobalMaxPooling2D'], inputShape: [4, 4, 3], layer: (f) => L.globalMaxPooling2d(f) },
  { name: 'GRU', covers: ['GRU'], inputShape: [4, 3], layer: (f) => L.gru({ units: 3, ...rnn(23), ...f }) },
  { name: 'GRU return_sequences', covers: ['GRU'], inputShape: [4, 3], layer: (f) => L.gru({ units: 3, returnSequences: true, ...rnn(24), ...f }) },
  { name: 'LayerNormalization', covers: ['LayerNormalization'], inputShape: [4, 5], layer: (f) => L.layerNormalization({ betaInitializer: bias(25), gammaInitializer: bias(26), ...f }) },
  { name: 'LeakyReLU', covers: ['LeakyReLU'], inputShape: [5], layer: (f) => L.leakyReLU({ alpha: 0.2, ...f }) },
  { name: 'LSTM', covers: ['LSTM'], inputShape: [4, 3], layer: (f) => L.lstm({ units: 3, ...rnn(27), ...f }) },
  { name: 'LSTM return_sequences', covers: ['LSTM'], inputShape: [4, 3], layer: (f) => L.lstm({ units: 3, returnSequences: true, ...rnn(28), ...f }) },
  { name: 'Masking → SimpleRNN', covers: ['Masking', 'SimpleRNN'], inputShape: [4, 3], layer: (f) => L.masking({ maskValue: 0, ...f }), then: () => [L.simpleRNN({ units: 2, ...rnn(29) })] },
  { name: 'MaxPooling1D', covers: ['MaxPooling1D'], inputShape: [6, 3], layer: (f) => L.maxPooling1d({ poolSize: 2, ...f }) },
  { name: 'MaxPooling2D', covers: ['MaxPooling2D'], inputShape: [6, 6, 2], layer: (f) => L.maxPooling2d({ poolSize: 2, ...f }) },
  { name: 'MaxPooling3D', covers: ['MaxPooling3D'], inputShape: [4, 4, 4, 2], layer: (f) => L.maxPooling3d({ poolSize: 2, ...f }) },
  { name: 'Maximum', covers: ['Maximum'], inputShape: [5], inputCount: 2, layer: (f) => L.maximum(f) },
  { name: 'Minimum', covers: ['Minimum'], inputShape: [5], inputCount: 2, layer: (f) => L.minimum(f) },
  { name: 'Multiply', covers: ['Multiply'], inputShape: [5], inputCount: 2, layer: (f) => L.multiply(f) },
  { name: 'Permute', covers: ['Permute'], inputShape: [3, 4], layer: (f) => L.permute({ dims: [2, 1], ...f }) },
  { name: 'PReLU', covers: ['PReLU'], inputShape: [5], layer: (f) => L.prelu({ alphaInitializer: bias(30), ...f }) },
  { name: 'ReLU', covers: ['ReLU'], inputShape: [5], layer: (f) => L.reLU({ maxValue: 0.5, ...f }) },
  { name: 'RepeatVector', covers: ['RepeatVector'], inputShape: [5], layer: (f) => L.repeatVector({ n: 3, ...f }) },
  { name: 'Rescaling', covers: ['Rescaling'], inputShape: [5], layer: (f) => L.rescaling({ scale: 0.5, offset: 0.25, ...f }) },
  { name: 'Reshape', covers: ['Reshape'], inputShape: [6], layer: (f) => L.reshape({ targetShape: [2, 3], ...f }) },
  { name: 'RNN(LSTMCell)', covers: ['RNN', 'LSTMCell'], inputShape: [4, 3], layer: (f) => L.rnn({ cell: L.lstmCell({ units: 3, ...rnn(31) }), ...f }) },
  {
    name: 'RNN(StackedRNNCells)', covers: ['RNN', 'StackedRNNCells', 'SimpleRNNCell', 'GRUCell'], inputShape: [4, 3],
    layer: (f) => L.rnn({ cell: [L.simpleRNNCell({ units: 3, ...rnn(32) }), L.gruCell({ units: 2, ...rnn(33) })], returnSequences: true, ...f }),
  },
  { name: 'SeparableConv2D', covers: ['SeparableConv2D'], inputShape: [6, 6, 2], layer: (f) => L.separableConv2d({ filters: 3, kernelSize: 3, depthwiseInitializer: seeded(34), pointwiseInitializer: seeded(35), biasInitializer: bias(36), ...f }) },
  { name: 'SimpleRNN', covers: ['SimpleRNN'], inputShape: [4, 3], layer: (f) => L.simpleRNN({ units: 3, ...rnn(37), ...f }) },
  { name: 'SimpleRNN return_sequences', covers: ['SimpleRNN'], inputShape: [4, 3], layer: (f) => L.simpleRNN({ units: 3, returnSequences: true, ...rnn(38), ...f }) },
  { name: 'Softmax', covers: ['Softmax'], inputShape: [5], layer: (f) => L.softmax(f) },
  { name: 'SpatialDropout1D', covers: ['SpatialDropout1D'], inputShape: [4, 3], layer: (f) => L.spatialDropout1d({ rate: 0.5, ...f }) },
  { name: 'ThresholdedReLU', covers: ['ThresholdedReLU'], inputShape: [5], layer: (f) => L.thresholdedReLU({ theta: 0.1, ...f }) },
  { name: 'TimeDistributed(Dense)', covers: ['TimeDistributed', 'Dense'], inputShape: [4, 3], layer: (f) => L.timeDistributed({ layer: L.dense({ units: 2, ...w(39) }), ...f }) },
  { name: 'UpSampling2D', covers: ['UpSampling2D'], inputShape: [3, 3, 2], layer: (f) => L.upSampling2d({ size: [2, 2], ...f }) },
  { name: 'ZeroPadding2D', covers: ['ZeroPadding2D'], inputShape: [3, 3, 2], layer: (f) => L.zeroPadding2d({ padding: 1, ...f }) },
];

/** Registered layer classes with no case, and why. */
export const NOT_COVERED: Readonly<Record<string, string>> = {
  InputLayer: 'every case starts with one: it is the graph\'s input node rather than a layer to round-trip alone',
  Sequential: 'a model, not a layer; a model used as a layer is refused with NESTED_MODEL (tested)',
  Model: 'a model, not a layer; a model used as a layer is refused with NESTED_MODEL (tested)',
  Functional: 'a model, not a layer; a model used as a layer is refused with NESTED_MODEL (tested)',
  CategoryEncoding: 'tfjs 4.22\'s computeOutputShape overwrites its input\'s shape, so the source model rejects its own inputs before graft is involved',
  CenterCrop: 'tfjs 4.22\'s computeOutputShape overwrites its input\'s shape, so the source model rejects its own inputs before graft is involved',
  Resizing: 'tfjs 4.22\'s computeOutputShape drops the batch dimension, so a model ending in one cannot predict',
  RandomWidth: 'a random augmentation whose output width is drawn at each call, so there is no fixed function to compare bit for bit',
};
