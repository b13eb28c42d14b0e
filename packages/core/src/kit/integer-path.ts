import type { LayerNode, ModelGraph } from '../graph/types.js';

/** Layers that only move, drop or pad values: their output has their input's dtype, and indices stay indices. */
const DTYPE_KEEPING = new Set([
  'Reshape', 'Flatten', 'Permute', 'RepeatVector', 'Cropping1D', 'Cropping2D', 'ZeroPadding1D', 'ZeroPadding2D',
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'Masking',
]);

/** Layers that read their input as integer indices or categories: a value changed there selects other rows. */
const INDEX_READERS = new Set(['Embedding', 'CategoryEncoding', 'IntegerLookup', 'StringLookup', 'Hashing']);

const FLOAT = new Set([undefined, null, 'float32']);

function nodeNamed(graph: ModelGraph, name: string): LayerNode | undefined {
  return graph.nodes.find((n) => n.name === name);
}

/** The input layer whose non-float dtype reaches `name` through dtype-keeping layers, with that dtype. */
function integerSource(graph: ModelGraph, name: string, seen: Set<string>): { layer: string; dtype: string } | undefined {
  const node = nodeNamed(graph, name);
  if (node === undefined || seen.has(name)) return undefined;
  seen.add(name);
  const dtype = node.config['dtype'];
  if (node.className === 'InputLayer') return FLOAT.has(dtype as string | undefined) ? undefined : { layer: name, dtype: String(dtype) };
  if (!DTYPE_KEEPING.has(node.className)) return undefined;
  for (const ref of node.inbound.flat()) {
    const found = integerSource(graph, ref.layer, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first layer reading `name`'s output as indices, directly or through dtype-keeping layers. */
function indexReader(graph: ModelGraph, name: string, seen: Set<string>): LayerNode | undefined {
  if (seen.has(name)) return undefined;
  seen.add(name);
  for (const node of graph.nodes) {
    if (!node.inbound.some((call) => call.some((ref) => ref.layer === name))) continue;
    if (INDEX_READERS.has(node.className)) return node;
    if (DTYPE_KEEPING.has(node.className)) {
      const further = indexReader(graph, node.name, seen);
      if (further !== undefined) return further;
    }
  }
  return undefined;
}

/**
 * Why `name`'s output is an integer or index path, or `undefined` when it carries float values that nothing reads
 * as indices. A layer inserted there would feed a gather (no gradient, identity only by accident) or cast integers.
 */
export function integerPathOf(graph: ModelGraph, name: string): string | undefined {
  const source = integerSource(graph, name, new Set());
  if (source !== undefined) return `output of "${name}" has dtype ${source.dtype} (from input "${source.layer}")`;
  const reader = indexReader(graph, name, new Set());
  if (reader !== undefined) return `output of "${name}" is read as indices by ${reader.className} "${reader.name}"`;
  return undefined;
}
