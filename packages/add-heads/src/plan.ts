import { branchBetween, consumersOf, isBranch, isSingleOutputSite, type Branch, type LayerNode, type ModelGraph } from '@graft/core';

/** Where heads can be added: the output projection, the layer joining the heads, and one head to copy the shape of. */
export interface HeadsPlan {
  /** The attention output projection (Dense) the site names. */
  readonly projection: string;
  /** The Concatenate joining the heads, or `undefined` for a single head read directly by the projection. */
  readonly join: string | undefined;
  /** The head outputs the projection reads, in order (one per head, or what else the Concatenate joins). */
  readonly joined: readonly string[];
  /** The first head: the branch from the block's normalised input to its attention-weighted values. */
  readonly template: Branch;
  /** Number of heads found among `joined`, for naming the new ones. */
  readonly heads: number;
}

/** Why heads cannot be added at a layer. */
export interface HeadsRefusal {
  readonly reason: string;
}

const nodeOf = (graph: ModelGraph, name: string): LayerNode | undefined => graph.nodes.find((n) => n.name === name);

function axesOf(node: LayerNode): readonly unknown[] {
  const raw = node.config['axes'];
  return Array.isArray(raw) ? raw : [raw, raw];
}

/**
 * The attention head ending at `output`, or why it is not one: a Dot with axes [2, 1] of attention weights and the
 * values, whose values come from a Dense reading the block's normalised input `x`, and whose whole branch from `x`
 * (query, key, scores Dot [2, 2], scaling, masking, softmax) is self-contained (reads only `x` and model inputs).
 */
export function headAt(graph: ModelGraph, output: string): Branch | HeadsRefusal {
  const node = nodeOf(graph, output);
  if (node?.className !== 'Dot' || axesOf(node).join(',') !== '2,1') return { reason: `"${output}" is a ${node?.className ?? 'missing layer'}, not an attention head's Dot with axes [2, 1]` };
  const values = nodeOf(graph, node.inbound[0]?.[1]?.layer ?? '');
  if (values?.className !== 'Dense') return { reason: `the values of "${output}" do not come from a Dense` };
  const input = values.inbound[0]?.[0]?.layer ?? '';
  const branch = branchBetween(graph, input, output);
  if (!isBranch(branch)) return { reason: `the head ending at "${output}" is not self-contained: ${branch.reason}` };
  const scores = branch.layers.map((name) => nodeOf(graph, name)!).find((n) => n.className === 'Dot' && axesOf(n).join(',') === '2,2');
  if (scores === undefined) return { reason: `the head ending at "${output}" has no scores Dot with axes [2, 2]` };
  return branch;
}

/**
 * Whether heads can be added at `site`, an attention block's output projection: a Dense reading the heads' outputs,
 * joined by a Concatenate on the last axis (or a single head's output), where at least one input is a head
 * ({@link headAt}) to copy the shape of. The projection and the Concatenate must be read by nothing else.
 */
export function planAddHeads(graph: ModelGraph, site: string): HeadsPlan | HeadsRefusal {
  const projection = nodeOf(graph, site);
  if (projection === undefined) return { reason: `there is no layer "${site}"` };
  if (projection.className !== 'Dense') return { reason: `it is a ${projection.className}; add-heads grows at an attention block's output projection (a Dense reading the heads)` };
  if (projection.inbound.length !== 1) return { reason: `the projection is called ${projection.inbound.length} times (a shared layer)` };
  const input = nodeOf(graph, projection.inbound[0]?.[0]?.layer ?? '')!;
  let join: string | undefined;
  let joined: string[];
  if (input.className === 'Concatenate') {
    const axis = input.config['axis'];
    if (axis !== -1 && axis !== 2) return { reason: `"${input.name}" joins along axis ${String(axis)}; heads are joined along the last axis` };
    if (consumersOf(graph, input.name).length !== 1 || !isSingleOutputSite(graph, input.name)) return { reason: `"${input.name}" is read by more than the projection` };
    join = input.name;
    joined = (input.inbound[0] ?? []).map((ref) => ref.layer);
  } else {
    joined = [input.name];
  }
  const heads = joined.map((name) => headAt(graph, name));
  const template = heads.find(isBranch);
  if (template === undefined) return { reason: `the projection's input is not attention heads: ${(heads[0] as HeadsRefusal).reason}` };
  if (join === undefined && consumersOf(graph, input.name).length !== 1) return { reason: `the head output "${input.name}" is read by more than the projection` };
  return { projection: site, join, joined, template, heads: heads.filter(isBranch).length };
}
