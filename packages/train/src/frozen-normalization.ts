import type * as tf from '@tensorflow/tfjs';

type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Runs `fn` with every BatchNormalization layer outside `trainable` in inference mode, as Keras does for frozen
 * BatchNormalization: in training mode a frozen layer would still normalise with batch statistics and overwrite its
 * moving mean and variance, so "frozen" weights would change. The layers are restored afterwards.
 */
export async function withFrozenNormalization<T>(model: tf.LayersModel, trainable: readonly string[], fn: () => Promise<T>): Promise<T> {
  const restore = freezeNormalization(model, trainable);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/**
 * Puts every BatchNormalization layer outside `trainable` in inference mode (see {@link withFrozenNormalization})
 * until the returned function is called. Used directly by training replicas, which hold the state across messages.
 */
export function freezeNormalization(model: tf.LayersModel, trainable: readonly string[]): () => void {
  const keep = new Set(trainable);
  const patched = model.layers
    .filter((layer) => layer.getClassName() === 'BatchNormalization' && !keep.has(layer.name))
    .map((layer) => {
      const holder = layer as unknown as { call: Call };
      const original = holder.call;
      holder.call = (inputs, kwargs) => original.call(layer, inputs, { ...kwargs, training: false });
      return () => {
        holder.call = original;
      };
    });
  return () => patched.forEach((restore) => restore());
}
