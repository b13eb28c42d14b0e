import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '../dispose.js';
import { GraftError } from '../errors.js';
import { buildModel } from './build-model.js';
import { validateGraph } from './validate-graph.js';
import { unchangedSource } from './weight-sources.js';
import type { LayerNode, ModelGraph, TensorRef } from './types.js';

type Json = Record<string, unknown>;

const refJson = (ref: TensorRef): unknown[] => [ref.layer, ref.node, ref.tensor];

/** True when the graph is one input, one output, and a chain of single-call, single-input layers. */
function isChain(graph: ModelGraph): boolean {
  const [input, ...rest] = graph.nodes;
  if (input === undefined || input.className !== 'InputLayer' || rest.length === 0) return false;
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  let previous = input.name;
  for (const node of rest) {
    const [call, ...others] = node.inbound;
    if (others.length > 0 || call?.length !== 1 || call[0]?.layer !== previous || call[0].node !== 0 || call[0].tensor !== 0) return false;
    previous = node.name;
  }
  return graph.outputs[0]?.layer === previous;
}

function sequentialTopology(graph: ModelGraph): Json {
  const [input, ...layers] = graph.nodes as [LayerNode, ...LayerNode[]];
  return {
    class_name: 'Sequential',
    config: {
      name: graph.name,
      layers: layers.map((node, i) => ({
        class_name: node.className,
        config: i === 0 ? { ...node.config, name: node.name, batch_input_shape: input.config['batch_input_shape'], dtype: input.config['dtype'] ?? 'float32' } : { ...node.config, name: node.name },
      })),
    },
  };
}

function functionalTopology(graph: ModelGraph): Json {
  return {
    class_name: 'Model',
    config: {
      name: graph.name,
      layers: graph.nodes.map((node) => ({
        name: node.name,
        class_name: node.className,
        config: { ...node.config, name: node.name },
        inbound_nodes: node.className === 'InputLayer' ? [] : node.inbound.map((call) => call.map((ref) => [...refJson(ref), {}])),
      })),
      input_layers: graph.inputs.map(refJson),
      output_layers: graph.outputs.map(refJson),
    },
  };
}

/**
 * The Keras-style topology (`model.json`'s `modelTopology`) for a graph: `Sequential` while the graph is a
 * sequential chain, a functional `Model` otherwise.
 */
export function graphTopology(graph: ModelGraph): Json {
  return graph.kind === 'sequential' && isChain(graph) ? sequentialTopology(graph) : functionalTopology(graph);
}

/**
 * Builds a new `tf.LayersModel` from a graph: standard tfjs-layers classes only, weights set by layer name, without
 * running initialisers. A weight the source model still holds unchanged shares its data with the source (tfjs
 * counts the references: disposing either model leaves the other intact, training either gives it new data); other
 * weights are made from the graph's values once. Tensors created along the way are released; the graph is not changed.
 *
 * @throws GraftError `INVALID_GRAPH` when the graph is inconsistent or tfjs refuses its topology.
 */
export async function fromGraph(graph: ModelGraph): Promise<tf.LayersModel> {
  validateGraph(graph);
  const topology = graphTopology(graph);
  let model: tf.LayersModel;
  try {
    model = buildModel(topology);
    // Fast initialisation leaves zeros; a layer added without weights ("its initialisers decide") needs them run.
    if (graph.nodes.some((node) => node.className !== 'InputLayer' && node.weights.length === 0 && model.getLayer(node.name).weights.length > 0)) {
      disposeModel(model);
      model = await tf.models.modelFromJSON(topology as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
    }
  } catch (cause) {
    throw new GraftError('INVALID_GRAPH', `tfjs could not build the graph "${graph.name}": ${(cause as Error).message}`, { cause });
  }
  for (const node of graph.nodes) {
    if (node.weights.length === 0) continue;
    const layer = model.getLayer(node.name);
    const expected = layer.weights.length;
    if (expected !== node.weights.length) {
      disposeModel(model);
      throw new GraftError('INVALID_GRAPH', `Layer "${node.name}" has ${expected} weights, but the graph gives ${node.weights.length}.`);
    }
    // A weight still held unchanged by the model it was read from shares that data; any other is made once (on the
    // cpu backend tf.tensor keeps the graph's array itself, so even that is no copy).
    const shared = node.weights.map((w) => unchangedSource(w));
    const tensors = node.weights.map((w, i) => shared[i] ?? tf.tensor(w.values, [...w.shape], w.dtype));
    try {
      layer.setWeights(tensors);
    } catch (cause) {
      disposeModel(model);
      throw new GraftError('INVALID_GRAPH', `Weights of layer "${node.name}" do not fit it: ${(cause as Error).message}`, { cause });
    } finally {
      tensors.forEach((t, i) => shared[i] === undefined && t.dispose());
    }
  }
  if (graph.metadata !== undefined) model.setUserDefinedMetadata(structuredClone(graph.metadata));
  return model;
}

/**
 * {@link fromGraph} for a graph a strategy derived from `source`. When tfjs refuses it, `source` is rebuilt too, to
 * say whose the fault is: a model graft cannot rebuild even unchanged is refused as the user's input
 * (`UNSUPPORTED_MODEL`), while a source that rebuilds fine leaves the strategy's graph at fault (`INVALID_GRAPH`).
 *
 * @throws GraftError `UNSUPPORTED_MODEL` when `source` itself cannot be rebuilt; `INVALID_GRAPH` otherwise.
 */
export async function fromDerivedGraph(source: ModelGraph, derived: ModelGraph): Promise<tf.LayersModel> {
  try {
    return await fromGraph(derived);
  } catch (error) {
    if (!(error instanceof GraftError) || error.code !== 'INVALID_GRAPH') throw error;
    let unchanged: tf.LayersModel;
    try {
      unchanged = await fromGraph(source);
    } catch (cause) {
      const reason = cause instanceof GraftError ? cause.message : String(cause);
      throw new GraftError('UNSUPPORTED_MODEL', `graft cannot rebuild model "${source.name}" even before changing it (${reason}); expected layers tfjs can rebuild from their config.`, { cause });
    }
    disposeModel(unchanged);
    throw error;
  }
}
