import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import type { LayerNode, ModelGraph, Shape, TensorRef, WeightValue } from './types.js';
import { rememberSource } from './weight-sources.js';

type Json = Record<string, unknown>;

const NESTED_CLASSES = new Set(['Sequential', 'Model', 'Functional', 'LayersModel']);

/** The subset of tfjs-layers internals we read: a layer's call sites and the model's own node keys. */
interface LayerInternals {
  name: string;
  inboundNodes: { outputShapes: unknown }[];
  weights: { originalName: string; trainable: boolean }[];
  getWeights(): tf.Tensor[];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toShapeList(shapes: unknown): Shape[] {
  // A single-output call stores one shape ([null, 4]); a multi-output call stores a list of shapes.
  if (Array.isArray(shapes) && shapes.length > 0 && shapes.every((s) => Array.isArray(s))) return shapes as Shape[];
  return [shapes as Shape];
}

function readWeights(layer: LayerInternals): WeightValue[] {
  const variables = layer.weights;
  if (variables.length === 0) return [];
  const tensors = layer.getWeights();
  return tensors.map((tensor, i) => {
    const variable = variables[i]!;
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    // dataSync is already a copy on every backend but cpu, where it is the tensor's own array; tfjs never writes into
    // a tensor's data once made (assign gives a variable new data), so that array can be kept without copying.
    const data = tensor.dataSync();
    const values = dtype === 'int32' ? (data instanceof Int32Array ? data : Int32Array.from(data)) : data instanceof Float32Array ? data : Float32Array.from(data);
    const name = variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
    const value: WeightValue = Object.freeze({ name, shape: Object.freeze([...tensor.shape]), dtype, values, trainable: variable.trainable });
    rememberSource(value, tensor);
    return value;
  });
}

function parseRef(raw: unknown, where: string): TensorRef {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string') {
    throw new GraftError('UNSUPPORTED_MODEL', `Cannot read the connection ${JSON.stringify(raw)} of ${where}.`);
  }
  return { layer: raw[0], node: Number(raw[1] ?? 0), tensor: Number(raw[2] ?? 0) };
}

/**
 * Output shapes of each call of `layer` that belongs to `container` (a layer used in several models also carries
 * the call sites of the other models, which the serialised topology leaves out).
 */
function ownOutputShapes(container: unknown, layer: LayerInternals): Shape[][] {
  const own = isRecord(container) ? container['containerNodes'] : undefined;
  const keys = own instanceof Set && own.size > 0 ? own : null;
  return layer.inboundNodes
    .filter((_, i) => keys === null || keys.has(`${layer.name}_ib-${i}`))
    .map((node) => toShapeList(node.outputShapes));
}

/**
 * The config as tfjs will rebuild it, so that the graph of a rebuilt model equals the source's: a layer given a
 * `batch_input_shape` and no `dtype` is built with `float32` (an Embedding sets its own batch_input_shape without
 * one), and a StackedRNNCells cell is renamed from a process-wide counter on every build (its name names nothing:
 * the weights are named after the RNN layer), so it is left out.
 */
function rebuiltConfig(config: Json): Json {
  let result = config;
  if (result['batch_input_shape'] !== undefined && result['dtype'] === undefined) result = { ...result, dtype: 'float32' };
  const cell = result['cell'];
  if (isRecord(cell) && cell['class_name'] === 'StackedRNNCells' && isRecord(cell['config']) && 'name' in cell['config']) {
    const { name: _unused, ...cellConfig } = cell['config'];
    result = { ...result, cell: { ...cell, config: cellConfig } };
  }
  return result;
}

function freezeNode(node: LayerNode): LayerNode {
  return Object.freeze({ ...node, inbound: Object.freeze(node.inbound.map((call) => Object.freeze([...call]))) });
}

function sequentialGraph(model: tf.LayersModel, topology: Json): ModelGraph {
  const layerConfigs = (topology['layers'] ?? []) as Json[];
  const layers = model.layers as unknown as LayerInternals[];
  const inner = (model as unknown as { model?: unknown }).model ?? model;
  const first = layerConfigs[0];
  const firstConfig = isRecord(first?.['config']) ? first['config'] : {};
  const batchInputShape = firstConfig['batch_input_shape'] ?? (model.inputs[0]?.shape);
  if (!Array.isArray(batchInputShape)) {
    throw new GraftError('UNSUPPORTED_MODEL', 'The Sequential model has no input shape; build it with inputShape on its first layer.');
  }
  const taken = new Set(layers.map((l) => l.name));
  // Named after the first layer, like Keras does, rather than tfjs's process-wide counter, so names are stable.
  let inputName = `${layers[0]?.name ?? 'model'}_input`;
  while (taken.has(inputName)) inputName = `${inputName}_`;
  const nodes: LayerNode[] = [
    {
      name: inputName,
      className: 'InputLayer',
      config: { batch_input_shape: batchInputShape, dtype: firstConfig['dtype'] ?? 'float32', sparse: false, name: inputName },
      inbound: [[]],
      weights: [],
      outputShapes: [[batchInputShape as Shape]],
    },
  ];
  layerConfigs.forEach((entry, i) => {
    const layer = layers[i]!;
    const className = String(entry['class_name']);
    if (NESTED_CLASSES.has(className)) {
      throw new GraftError('NESTED_MODEL', `Layer "${layer.name}" is itself a model (${className}); graft does not operate inside nested models. Expected a flat model: rebuild it without nesting.`);
    }
    // The input shape moves to the InputLayer node. `input_dim` stays: in tfjs configs only Embedding has one, and
    // there it is the vocabulary size, not an input shape.
    const config: Json = { ...(entry['config'] as Json) };
    delete config['batch_input_shape'];
    delete config['input_shape'];
    Object.assign(config, rebuiltConfig(config));
    const previous = nodes[nodes.length - 1]!.name;
    nodes.push({
      name: layer.name,
      className,
      config,
      inbound: [[{ layer: previous, node: 0, tensor: 0 }]],
      weights: readWeights(layer),
      outputShapes: ownOutputShapes(inner, layer),
    });
  });
  const last = nodes[nodes.length - 1]!;
  return {
    name: model.name,
    kind: 'sequential',
    nodes: nodes.map(freezeNode),
    inputs: [{ layer: inputName, node: 0, tensor: 0 }],
    outputs: [{ layer: last.name, node: 0, tensor: 0 }],
  };
}

function functionalGraph(model: tf.LayersModel, topology: Json): ModelGraph {
  const byName = new Map((model.layers as unknown as LayerInternals[]).map((l) => [l.name, l]));
  const nodes = ((topology['layers'] ?? []) as Json[]).map((entry): LayerNode => {
    const name = String(entry['name']);
    const className = String(entry['class_name']);
    if (NESTED_CLASSES.has(className)) {
      throw new GraftError('NESTED_MODEL', `Layer "${name}" is itself a model (${className}); graft does not operate inside nested models. Expected a flat model: rebuild it without nesting.`);
    }
    const layer = byName.get(name);
    if (layer === undefined) throw new GraftError('UNSUPPORTED_MODEL', `The topology names a layer "${name}" that the model does not have.`);
    const calls = (entry['inbound_nodes'] ?? []) as unknown[][];
    const inbound = className === 'InputLayer' ? [[]] : calls.map((call) => call.map((ref) => parseRef(ref, `layer "${name}"`)));
    return { name, className, config: rebuiltConfig(entry['config'] as Json), inbound, weights: readWeights(layer), outputShapes: ownOutputShapes(model, layer) };
  });
  const refs = (key: string) => ((topology[key] ?? []) as unknown[]).map((ref) => parseRef(ref, 'the model'));
  return { name: model.name, kind: 'functional', nodes: nodes.map(freezeNode), inputs: refs('input_layers'), outputs: refs('output_layers') };
}

/**
 * Refuses a graph naming a class tfjs could not deserialise, before any surgery is planned on it: a custom layer
 * that was never registered with `tf.serialization.registerClass` serialises fine but cannot be rebuilt.
 */
function assertRegistered(graph: ModelGraph): void {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  for (const node of graph.nodes) {
    if (registry[node.className] === undefined) {
      throw new GraftError('UNSUPPORTED_MODEL', `Layer "${node.name}" is of class ${node.className}, which tfjs cannot rebuild: it is not registered. Expected standard tfjs-layers classes, or a custom layer registered with tf.serialization.registerClass.`);
    }
  }
}

/**
 * Layer settings tfjs 4.22 builds and saves but cannot run: a model using one cannot be checked for exactness or
 * trained, so it is refused up front rather than failing inside tfjs' first predict.
 */
const UNRUNNABLE: ReadonlyArray<{ readonly className: string; readonly key: string; readonly value: unknown; readonly why: string }> = [
  {
    className: 'Conv1D',
    key: 'padding',
    value: 'causal',
    why: "uses padding 'causal', which tfjs 4.22 cannot run (its conv1d implements only 'valid' and 'same'); expected settings tfjs can run ('valid' or 'same' padding)",
  },
];

function assertRunnable(graph: ModelGraph): void {
  for (const node of graph.nodes) {
    const rule = UNRUNNABLE.find((r) => r.className === node.className && node.config[r.key] === r.value);
    if (rule !== undefined) throw new GraftError('UNSUPPORTED_MODEL', `Layer "${node.name}" (${node.className}) ${rule.why}.`);
  }
}

/**
 * Describes `model` as an immutable {@link ModelGraph}: nodes in topological order with their configs, connections,
 * output shapes and a copy of their weights. The model is only read.
 *
 * @throws GraftError `NESTED_MODEL` when a layer is itself a model; `UNSUPPORTED_MODEL` when the topology cannot be
 * read, names a class tfjs could not rebuild, or uses a setting tfjs cannot run (Conv1D with causal padding).
 */
export function toGraph(model: tf.LayersModel): ModelGraph {
  let json: Json;
  try {
    json = model.toJSON(null, false) as unknown as Json;
  } catch (cause) {
    throw new GraftError('UNSUPPORTED_MODEL', `tfjs cannot serialise model "${model.name}" (${(cause as Error).message.split('\n')[0]}); graft rebuilds models from their config, so every layer needs a serialisable one.`, { cause });
  }
  const topology = isRecord(json['config']) ? json['config'] : {};
  const graph = json['class_name'] === 'Sequential' ? sequentialGraph(model, topology) : functionalGraph(model, topology);
  assertRegistered(graph);
  assertRunnable(graph);
  const metadata = model.getUserDefinedMetadata();
  return Object.freeze({
    ...graph,
    inputs: Object.freeze([...graph.inputs]),
    outputs: Object.freeze([...graph.outputs]),
    nodes: Object.freeze([...graph.nodes]),
    ...(metadata === undefined ? {} : { metadata: structuredClone(metadata) }),
  });
}
