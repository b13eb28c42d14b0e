import * as tf from '@tensorflow/tfjs';

type Json = Record<string, unknown>;

// tfjs's own conversion of a Keras (snake_case) config to its constructor arguments (convertPythonicToTs in
// tfjs-layers 4.22, which tfjs does not export): keys and string values to camelCase, except `name` values and the
// layer names that start the entries of inbound_nodes / input_layers / output_layers.
const NAME_LISTS = new Set(['inboundNodes', 'outputLayers', 'inputLayers']);

function camel(identifier: string): string {
  return identifier.length <= 1 || !identifier.includes('_') ? identifier : identifier.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

function camelConfig(value: unknown, key?: string): unknown {
  if (value === null) return null;
  // Keras writes some scalars as { type: 'ndarray', value }; tfjs reads the value.
  if (typeof value === 'object' && !Array.isArray(value) && (value as Json)['type'] === 'ndarray' && typeof (value as Json)['value'] === 'number') return (value as Json)['value'];
  if (typeof value === 'string') return camel(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, i) => (key !== undefined && NAME_LISTS.has(key) && i === 0 && typeof item === 'string' ? item : camelConfig(item, key)));
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === 'name' && typeof v === 'string') out[k] = v;
    else {
      const tsKey = camel(k);
      out[tsKey] = camelConfig(v, tsKey);
    }
  }
  return out;
}

type FromConfig = (cls: unknown, config: unknown, customObjects: unknown, fastWeightInit: boolean) => tf.LayersModel;

/**
 * Builds the model a Keras-style topology (`{ class_name: 'Sequential' | 'Model', config }`) describes, as
 * `tf.models.modelFromJSON` does, but with tfjs's fast weight initialisation (the one `tf.loadLayersModel` uses):
 * every weight starts as zeros instead of running its initialiser, because the caller sets every weight next.
 * That skips drawing millions of random numbers, and fresh zeros are not even resident until written.
 *
 * @throws Error from tfjs when the topology does not describe a model it can build.
 */
export function buildModel(topology: Json): tf.LayersModel {
  const className = String(topology['class_name']);
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, [unknown, FromConfig] | undefined>;
  const entry = registry[className];
  if (entry === undefined) throw new Error(`Unknown model class ${className}.`);
  const [cls, fromConfig] = entry;
  const config = camelConfig(topology['config']) as Json;
  // As tfjs's deserialisation does: fromConfig finds custom objects on the config.
  config['customObjects'] = {};
  return fromConfig(cls, config, {}, true);
}
