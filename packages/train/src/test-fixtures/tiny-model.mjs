// A small dense model with seeded initial weights, shared by the tests and the child process they kill, so both
// start from the same bits. Layer "added" is recorded as grown by graft.
export function buildTinyModel(tf, { grown = true } = {}) {
  const init = (seed) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    name: 'tiny',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flatten' }),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(1), name: 'hidden' }),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(2), name: 'added' }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(3), name: 'out' }),
    ],
  });
  if (grown) model.setUserDefinedMetadata({ graft: { added: ['added'], history: [] } });
  return model;
}

/** Options of the run the kill test interrupts and compares. */
export const KILL_RUN = { epochs: 3, seed: 11, batchSize: 32, trainable: 'new', unfreezeAfter: 1, progress: 'none' };
export const KILL_LIMIT = { train: 256, test: 64 };

/** Every weight's bytes by name, for bitwise comparison. */
export function weightBytes(model) {
  return new Map(model.weights.map((w) => [w.originalName, Buffer.from(w.read().dataSync().slice().buffer)]));
}
