import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Options for {@link gpt}. */
export interface GptOptions {
  /** Number of distinct token ids; ids run from 0 to `vocabSize - 1`. */
  readonly vocabSize: number;
  /** Sequence length the model reads (the length of every input row) and the number of learned positions. */
  readonly context: number;
  /** Width of the residual stream; must be divisible by `heads`. */
  readonly dModel: number;
  /** Attention heads per block; each head has size `dModel / heads`. */
  readonly heads: number;
  /** Number of transformer blocks (0 gives embeddings → final LayerNorm → head). */
  readonly blocks: number;
  /** Hidden width of each MLP as a multiple of `dModel` (default 4). */
  readonly mlpRatio?: number;
  /** Seed for every initialiser: the same options give the same weights on every backend (default 42). */
  readonly seed?: number;
}

/** Names of a GPT's three model inputs, in the order the model takes them. */
export const GPT_INPUT_NAMES = { tokens: 'tokens', positions: 'positions', mask: 'causal_mask' } as const;

/** The additive mask value for a key position after the query position: exp(-1e9 + s) is exactly 0 in float32. */
const MASKED = -1e9;

function checkWhole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`gpt: ${name} must be an integer >= ${min}, got ${value}.`);
}

/**
 * A pre-LayerNorm GPT built only of standard tfjs-layers layers, so it saves as an ordinary model.json that plain
 * `tf.loadLayersModel` reads back with no custom classes.
 *
 * Inputs (named, in this order; {@link gptInputs} makes all three from token ids): `tokens` int32 `[batch, context]`,
 * `positions` int32 `[batch, context]` (0, 1, …, context − 1), `causal_mask` float32 `[batch, context, context]`
 * (additive: 0 where the key position is at or before the query position, −1e9 after it).
 *
 * Layers: `token_embedding` + `position_embedding` → `embedding_add`; then per block `i`:
 * `block_i_ln_1` → per head `h`: Dense `block_i_head_h_query`/`_key`/`_value` (rank 3, size dModel/heads),
 * Dot axes [2, 2] `block_i_head_h_scores`, Rescaling by 1/√(head size) `block_i_head_h_scale`, Add of the mask
 * `block_i_head_h_masked`, Softmax `block_i_head_h_softmax`, Dot axes [2, 1] with the values `block_i_head_h_attend`
 * → Concatenate `block_i_attn_concat` (only with more than one head) → Dense `block_i_attn_proj` → residual Add
 * `block_i_attn_add`; `block_i_ln_2` → Dense GELU `block_i_mlp_hidden` → Dense `block_i_mlp_proj` → residual Add
 * `block_i_mlp_add`. Last: `final_ln` → Dense `head`, whose output is **logits** `[batch, context, vocabSize]`
 * (apply softmax for probabilities; train it with a from-logits cross-entropy).
 *
 * Key projections have no bias (softmax ignores it, so it would never get a gradient). Initialisation follows
 * GPT-2: weights N(0, 0.02) (the two residual projections of each block scaled by 1/√(2·blocks)), biases 0,
 * LayerNorm gain 1 and offset 0, epsilon 1e-5. Returned uncompiled; the caller disposes it.
 * @throws RangeError when a size is not a positive integer or `dModel` is not divisible by `heads`.
 */
export function gpt(options: GptOptions): tf.LayersModel {
  const { vocabSize, context, dModel, heads, blocks } = options;
  const mlpRatio = options.mlpRatio ?? 4;
  const seed = options.seed ?? 42;
  checkWhole('vocabSize', vocabSize, 1);
  checkWhole('context', context, 1);
  checkWhole('dModel', dModel, 1);
  checkWhole('heads', heads, 1);
  checkWhole('blocks', blocks, 0);
  checkWhole('mlpRatio', mlpRatio, 1);
  if (dModel % heads !== 0) throw new RangeError(`gpt: dModel (${dModel}) must be divisible by heads (${heads}).`);
  const headSize = dModel / heads;

  let draws = 0;
  // Every initialiser gets its own seed derived from `seed`, so the weights depend on nothing but the options.
  const normal = (stddev: number): Initializer => tf.initializers.randomNormal({ mean: 0, stddev, seed: seed * 10_007 + draws++ });
  const dense = (name: string, units: number, stddev = 0.02, activation: 'linear' | 'gelu' = 'linear', useBias = true): tf.layers.Layer =>
    tf.layers.dense({ name, units, activation, useBias, kernelInitializer: normal(stddev), biasInitializer: 'zeros' });
  const layerNorm = (name: string): tf.layers.Layer => tf.layers.layerNormalization({ name, epsilon: 1e-5 });
  const call = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(input) as tf.SymbolicTensor;
  const projectionStd = 0.02 / Math.sqrt(2 * Math.max(blocks, 1));

  const tokens = tf.input({ name: GPT_INPUT_NAMES.tokens, shape: [context], dtype: 'int32' });
  const positions = tf.input({ name: GPT_INPUT_NAMES.positions, shape: [context], dtype: 'int32' });
  const mask = tf.input({ name: GPT_INPUT_NAMES.mask, shape: [context, context], dtype: 'float32' });

  const tokenEmbedding = call(tf.layers.embedding({ name: 'token_embedding', inputDim: vocabSize, outputDim: dModel, embeddingsInitializer: normal(0.02) }), tokens);
  const positionEmbedding = call(tf.layers.embedding({ name: 'position_embedding', inputDim: context, outputDim: dModel, embeddingsInitializer: normal(0.02) }), positions);
  let stream = call(tf.layers.add({ name: 'embedding_add' }), [tokenEmbedding, positionEmbedding]);

  for (let b = 0; b < blocks; b++) {
    const block = `block_${b}`;
    const normed = call(layerNorm(`${block}_ln_1`), stream);
    const headOutputs: tf.SymbolicTensor[] = [];
    for (let h = 0; h < heads; h++) {
      const head = `${block}_head_${h}`;
      const query = call(dense(`${head}_query`, headSize), normed);
      // No key bias: it adds q·b to every score of a query alike, which softmax ignores, so it could never learn.
      const key = call(dense(`${head}_key`, headSize, 0.02, 'linear', false), normed);
      const value = call(dense(`${head}_value`, headSize), normed);
      const scores = call(tf.layers.dot({ name: `${head}_scores`, axes: [2, 2] }), [query, key]);
      const scaled = call(tf.layers.rescaling({ name: `${head}_scale`, scale: 1 / Math.sqrt(headSize) }), scores);
      const masked = call(tf.layers.add({ name: `${head}_masked` }), [scaled, mask]);
      const weights = call(tf.layers.softmax({ name: `${head}_softmax`, axis: -1 }), masked);
      headOutputs.push(call(tf.layers.dot({ name: `${head}_attend`, axes: [2, 1] }), [weights, value]));
    }
    const joined = headOutputs.length === 1 ? headOutputs[0]! : call(tf.layers.concatenate({ name: `${block}_attn_concat`, axis: -1 }), headOutputs);
    const attention = call(dense(`${block}_attn_proj`, dModel, projectionStd), joined);
    stream = call(tf.layers.add({ name: `${block}_attn_add` }), [stream, attention]);

    const normed2 = call(layerNorm(`${block}_ln_2`), stream);
    const hidden = call(dense(`${block}_mlp_hidden`, dModel * mlpRatio, 0.02, 'gelu'), normed2);
    const mlp = call(dense(`${block}_mlp_proj`, dModel, projectionStd), hidden);
    stream = call(tf.layers.add({ name: `${block}_mlp_add` }), [stream, mlp]);
  }

  const logits = call(dense('head', vocabSize), call(layerNorm('final_ln'), stream));
  return tf.model({ name: 'gpt', inputs: [tokens, positions, mask], outputs: logits });
}

/**
 * The three inputs of a {@link gpt} model for a batch of token-id rows, in the model's input order:
 * `[tokens (int32 [batch, T]), positions (int32 [batch, T]), causal_mask (float32 [batch, T, T])]`, where T is the
 * row length (it must equal the model's `context`). New tensors every call (a tensor passed in is copied); the
 * caller disposes them.
 * @throws RangeError when the rows are empty, of unequal length, or hold ids that are not non-negative integers.
 */
export function gptInputs(tokens: tf.Tensor | readonly (readonly number[])[]): tf.Tensor[] {
  const rows = tokens instanceof tf.Tensor ? (tokens.arraySync() as number[][]) : tokens;
  if (tokens instanceof tf.Tensor && tokens.rank !== 2) throw new RangeError(`gptInputs: tokens must be a rank-2 [batch, T] tensor, got rank ${tokens.rank}.`);
  const batch = rows.length;
  const length = rows[0]?.length ?? 0;
  if (batch === 0 || length === 0) throw new RangeError('gptInputs: tokens must hold at least one non-empty row.');
  const ids = new Int32Array(batch * length);
  rows.forEach((row, r) => {
    if (row.length !== length) throw new RangeError(`gptInputs: every row must have ${length} tokens, row ${r} has ${row.length}.`);
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0) throw new RangeError(`gptInputs: token ids must be non-negative integers, got ${id} at row ${r}, position ${t}.`);
      ids[r * length + t] = id;
    });
  });
  return [tf.tensor2d(ids, [batch, length], 'int32'), positionIds(batch, length), causalMask(batch, length)];
}

/** Positions `0, 1, …, length − 1` for every row: int32 `[batch, length]`, as a {@link gpt} model's `positions`. */
export function positionIds(batch: number, length: number): tf.Tensor2D {
  return tf.tensor2d(new Int32Array(batch * length).map((_, i) => i % length), [batch, length], 'int32');
}

/**
 * A causal mask for every row, float32 `[batch, length, length]`: query `q` may read key `k ≤ q`. `'additive'` (a
 * {@link gpt} model's `causal_mask`, added to the scores) is 0 there and −1e9 above the diagonal; `'multiplicative'`
 * (multiplied in) is 1 there and 0 above it.
 */
export function causalMask(batch: number, length: number, kind: 'additive' | 'multiplicative' = 'additive'): tf.Tensor3D {
  const [above, below] = kind === 'additive' ? [MASKED, 0] : [0, 1];
  const mask = new Float32Array(batch * length * length).map((_, i) => (i % length > Math.floor(i / length) % length ? above : below));
  return tf.tensor3d(mask, [batch, length, length], 'float32');
}
