/** A dimension is a number, or `null` where it is free (the batch dimension, usually). */
export type Shape = readonly (number | null)[];

/** One output tensor of one call of a layer: `layer`'s `node`-th call, its `tensor`-th output. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

/** A weight's values, copied out of the model: graphs never hold live tensors, so they cannot leak or go stale. */
export interface WeightValue {
  /** Short name inside the layer, e.g. `kernel`, `bias`, `moving_mean`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
  readonly trainable: boolean;
}

/** One layer of a model graph. */
export interface LayerNode {
  readonly name: string;
  /** tfjs-layers class name, e.g. `Dense`, `Conv2D`, `Multiply`, `InputLayer`. */
  readonly className: string;
  /** The layer's serialised config (Keras snake_case keys, as in `model.json`). */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Inputs of each call of the layer (one entry per call site; a layer shared at two sites has two).
   * Each call lists the tensors it consumes, in order. Input layers have one call with no inputs.
   */
  readonly inbound: readonly (readonly TensorRef[])[];
  /** Weights in the order of `layer.getWeights()`. */
  readonly weights: readonly WeightValue[];
  /**
   * Output shape of each call (`outputShapes[call][tensor]`), or `undefined` for nodes added by surgery whose shapes
   * are not yet known (they are filled in when the graph is rebuilt by `grow`).
   */
  readonly outputShapes?: readonly (readonly Shape[])[];
}

/** An immutable description of a `tf.LayersModel`: nodes in topological order, plus the model's inputs and outputs. */
export interface ModelGraph {
  readonly name: string;
  /** `sequential` graphs are rebuilt as `tf.Sequential` while they remain a single chain. */
  readonly kind: 'sequential' | 'functional';
  readonly nodes: readonly LayerNode[];
  readonly inputs: readonly TensorRef[];
  readonly outputs: readonly TensorRef[];
  /** `userDefinedMetadata` carried through (graft records added layers there). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}
