import { activationOf, channelsFirstAncestor, consumersOf, isModelOutput, isNonNegativeOutput, type Consumer } from '../graph/queries.js';
import type { LayerNode, ModelGraph, Shape } from '../graph/types.js';
import { refuse, type SiteRefusal } from '../planned-strategy.js';
import { integerPathOf } from './integer-path.js';
import { positionsLast } from './steps.js';

/** What a strategy needs of a site before its own rules: which output ranks it handles, and whether inputs count. */
export interface SiteRequirements {
  /** The strategy's name, used in every refusal. */
  readonly strategy: string;
  /** Output ranks (batch dimension included) the strategy handles: 2 `[batch, features]`, 3 `[batch, steps, features]`, 4 `[batch, height, width, channels]`. */
  readonly ranks: readonly number[];
  /** Whether a model input may be a site. Default `true`. */
  readonly inputs?: boolean;
}

/** Everything a strategy may want to know about the one output of a layer, checked once for every strategy. */
export interface SiteDescription {
  readonly ok: true;
  /** The layer's node in the graph. */
  readonly node: LayerNode;
  /** The layer's name (the site). */
  readonly name: string;
  /** The output shape, batch dimension first. */
  readonly shape: Shape;
  /** `shape.length`: one of the requirements' ranks. */
  readonly rank: number;
  /** Size of the last axis (features, or channels in channels_last layout): a fixed positive integer. */
  readonly width: number;
  /** Sites carry float values only: integer and index paths are refused. */
  readonly dtype: 'float32';
  /** Every value is provably ≥ 0 (see `isNonNegativeOutput`). */
  readonly nonNegative: boolean;
  /** Rank 3 and 4 sites are channels_last (channels_first is refused); rank 2 has no channel axis. */
  readonly layout: 'features' | 'channels_last';
  /** How the values are described in a refusal: `tanh`, `linear Dense "dense_1"`, `InputLayer "input"`. */
  readonly producer: string;
  /** Every place a layer reads the output (model outputs excluded; see `isModelOutput`). */
  readonly consumers: readonly Consumer[];
  /** The output is an output of the model. */
  readonly isModelOutput: boolean;
  /** The layer is a model input. */
  readonly isInput: boolean;
}

const RANK_SHAPES: Readonly<Record<number, string>> = { 2: '[batch, features]', 3: '[batch, steps, features]', 4: '[batch, height, width, channels]' };

/** `rank 2 [batch, features] or rank 4 [batch, height, width, channels]`. */
export function rankPhrase(ranks: readonly number[]): string {
  return ranks.map((rank) => `rank ${rank}${RANK_SHAPES[rank] === undefined ? '' : ` ${RANK_SHAPES[rank]}`}`).join(' or ');
}

/** `tanh`, `linear Conv2D "conv_3"`, `InputLayer "input"`: how the values a layer outputs are described in a refusal. */
export function producerDescription(node: LayerNode): string {
  const activation = activationOf(node);
  if (activation === undefined) return `${node.className} "${node.name}"`;
  return activation === 'linear' ? `linear ${node.className} "${node.name}"` : activation;
}

/**
 * Describes the single output of `layer` for a strategy, or refuses it with the one reason every strategy gives for
 * the same problem: no such layer, a model input where inputs are not sites, an unknown shape, several calls or
 * outputs, a rank the strategy does not handle, an unfixed last axis, an integer or index path (an int32 input, or
 * values an Embedding reads as indices), a rank-3 output whose last axis indexes positions (attention scores and
 * their mask, see `positionsLast`), or channels_first layout. Never throws.
 */
export function describeSite(graph: ModelGraph, layer: string, requirements: SiteRequirements): SiteDescription | SiteRefusal {
  const { strategy, ranks } = requirements;
  const node = graph.nodes.find((n) => n.name === layer);
  if (node === undefined) return refuse(`there is no layer "${layer}"`);
  const isInput = node.className === 'InputLayer';
  if (isInput && requirements.inputs === false) return refuse(`"${layer}" is a model input; ${strategy} grows after a layer`);
  const calls = node.outputShapes;
  if (calls === undefined) return refuse(`the output shape of "${layer}" is not known yet; rebuild the model first`);
  if (calls.length !== 1) return refuse(`layer is called at ${calls.length} sites; ${strategy} needs a layer called once`);
  const outputs = calls[0] ?? [];
  if (outputs.length !== 1) return refuse(`layer has ${outputs.length} outputs; ${strategy} needs exactly one`);
  const shape = outputs[0] ?? [];
  if (!ranks.includes(shape.length)) return refuse(`output has rank ${shape.length}; ${strategy} needs ${rankPhrase(ranks)}`);
  const width = shape[shape.length - 1];
  if (typeof width !== 'number' || width < 1) return refuse(`the last dimension of "${layer}" is not fixed; ${strategy} needs a fixed width`);
  const integer = integerPathOf(graph, layer);
  if (integer !== undefined) return refuse(`${integer}; ${strategy} grows only where values are float32, never on an integer or index path`);
  if (shape.length === 3 && positionsLast(graph, layer)) {
    return refuse(`the last axis of "${layer}" ${JSON.stringify(shape)} indexes positions (attention scores or their mask), not features; ${strategy} would mix positions`);
  }
  if (shape.length >= 3) {
    const channelsFirst = channelsFirstAncestor(graph, layer);
    if (channelsFirst !== undefined) return refuse(`"${channelsFirst}" uses data_format channels_first; ${strategy} supports channels_last only`);
  }
  return {
    ok: true,
    node,
    name: layer,
    shape,
    rank: shape.length,
    width,
    dtype: 'float32',
    nonNegative: isNonNegativeOutput(graph, layer),
    layout: shape.length >= 3 ? 'channels_last' : 'features',
    producer: producerDescription(node),
    consumers: consumersOf(graph, layer),
    isModelOutput: isModelOutput(graph, layer),
    isInput,
  };
}
