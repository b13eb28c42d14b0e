import { GraftError } from '../errors.js';
import { validateGraph } from '../graph/validate-graph.js';
import { getLayer, isSingleOutputSite } from '../graph/queries.js';
import type { LayerNode, ModelGraph, TensorRef, WeightValue } from '../graph/types.js';

/** A layer to add to a graph: standard tfjs-layers class, Keras-style (snake_case) config, optional weights. */
export interface NewLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Inputs of each call; usually one call reading the site's output: `[[{ layer: site, node: 0, tensor: 0 }]]`. */
  readonly inbound: readonly (readonly TensorRef[])[];
  /** Initial weights in `layer.getWeights()` order; omitted means the class's initialisers decide. */
  readonly weights?: readonly WeightValue[];
}

function freezeGraph(graph: ModelGraph): ModelGraph {
  validateGraph(graph);
  return Object.freeze({ ...graph, nodes: Object.freeze([...graph.nodes]), inputs: Object.freeze([...graph.inputs]), outputs: Object.freeze([...graph.outputs]) });
}

function toNode(layer: NewLayer): LayerNode {
  return Object.freeze({
    name: layer.name,
    className: layer.className,
    config: Object.freeze({ ...layer.config, name: layer.name }),
    inbound: Object.freeze(layer.inbound.map((call) => Object.freeze([...call]))),
    weights: Object.freeze([...(layer.weights ?? [])]),
  });
}

/**
 * Inserts `layers` on the output of `after`: the new layers read `after` (as their `inbound` says), and every
 * consumer of `after` — other layers and the model's outputs — reads the last new layer instead.
 * Returns a new graph; `graph` is not changed.
 *
 * @throws GraftError `UNKNOWN_LAYER`; `SITE_NOT_OFFERED` when `after` is called more than once or has several outputs;
 * `DUPLICATE_LAYER` / `INVALID_GRAPH` when the new layers clash or do not connect.
 */
export function insertAfter(graph: ModelGraph, after: string, layers: readonly NewLayer[]): ModelGraph {
  getLayer(graph, after);
  if (!isSingleOutputSite(graph, after)) {
    throw new GraftError('SITE_NOT_OFFERED', `Layer "${after}" is called more than once or has several outputs; insert after a layer with exactly one call and one output.`);
  }
  const last = layers[layers.length - 1];
  if (last === undefined) throw new GraftError('INVALID_GRAPH', `Nothing to insert after "${after}".`);
  const replacement: TensorRef = { layer: last.name, node: 0, tensor: 0 };
  const rewire = (ref: TensorRef): TensorRef => (ref.layer === after ? replacement : ref);
  const rewired = graph.nodes.map((node) =>
    node.inbound.some((call) => call.some((ref) => ref.layer === after))
      ? Object.freeze({ ...node, inbound: Object.freeze(node.inbound.map((call) => Object.freeze(call.map(rewire)))) })
      : node,
  );
  const at = graph.nodes.findIndex((n) => n.name === after) + 1;
  const nodes = [...rewired.slice(0, at), ...layers.map(toNode), ...rewired.slice(at)];
  return freezeGraph({ ...graph, nodes, outputs: graph.outputs.map(rewire) });
}

/** What {@link replaceLayer} may change about a layer. */
export interface LayerChanges {
  readonly className?: string;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly weights?: readonly WeightValue[];
  /** New inputs of each call (a Concatenate that joins one more tensor); each must be a layer earlier in the graph. */
  readonly inbound?: readonly (readonly TensorRef[])[];
}

/**
 * Replaces a layer's class, config, weights and/or inputs, keeping its name and its consumers (widening uses this on
 * the widened layer and on its consumers). Output shapes of the changed layer are forgotten until the model is rebuilt.
 *
 * @throws GraftError `UNKNOWN_LAYER`; `INVALID_GRAPH` when new inputs do not connect to earlier layers.
 */
export function replaceLayer(graph: ModelGraph, name: string, changes: LayerChanges): ModelGraph {
  const old = getLayer(graph, name);
  const updated: LayerNode = Object.freeze({
    name,
    className: changes.className ?? old.className,
    config: Object.freeze({ ...(changes.config ?? old.config), name }),
    inbound: changes.inbound === undefined ? old.inbound : Object.freeze(changes.inbound.map((call) => Object.freeze([...call]))),
    weights: Object.freeze([...(changes.weights ?? old.weights)]),
  });
  return freezeGraph({ ...graph, nodes: graph.nodes.map((n) => (n.name === name ? updated : n)) });
}

/**
 * Adds `layers` to the graph right before the layer `before`, rewiring nothing: they read layers earlier in the graph
 * (as their `inbound` says), and nothing reads them until a later change does (`replaceLayer` with new `inbound`).
 * Returns a new graph; `graph` is not changed.
 *
 * @throws GraftError `UNKNOWN_LAYER`; `DUPLICATE_LAYER` / `INVALID_GRAPH` when the new layers clash or do not connect.
 */
export function addLayersBefore(graph: ModelGraph, before: string, layers: readonly NewLayer[]): ModelGraph {
  getLayer(graph, before);
  const at = graph.nodes.findIndex((n) => n.name === before);
  return freezeGraph({ ...graph, nodes: [...graph.nodes.slice(0, at), ...layers.map(toNode), ...graph.nodes.slice(at)] });
}

/**
 * A weight value for a new or changed layer.
 * @throws GraftError `INVALID_GRAPH` when the number of values does not match the shape.
 */
export function weightValue(name: string, shape: readonly number[], values: Float32Array | Int32Array, trainable = true): WeightValue {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new GraftError('INVALID_GRAPH', `Weight "${name}" of shape [${shape.join(', ')}] needs ${size} values, got ${values.length}.`);
  return Object.freeze({ name, shape: Object.freeze([...shape]), dtype: values instanceof Int32Array ? 'int32' : 'float32', values, trainable });
}
