import type { LayerNode, ModelGraph } from './types.js';

/** The layers computing `exit` from the stream `from` (see {@link branchBetween}). */
export interface Branch {
  /** The layer whose output is the stream the branch reads. */
  readonly from: string;
  /** The branch's last layer: the only one read from outside the branch. */
  readonly exit: string;
  /** The branch's layers in graph order, `exit` last. */
  readonly layers: readonly string[];
  /** Model inputs the branch also reads (a causal mask, for instance). */
  readonly modelInputs: readonly string[];
}

/** Why there is no branch from `from` to `exit`. */
export interface NoBranch {
  readonly reason: string;
}

/**
 * The branch `f` with `exit = f(from)`: every layer that `exit` depends on, back to the stream `from`, provided that
 * the branch reads nothing but `from`, its own layers and model inputs, that each of its layers is called once, and
 * that nothing outside the branch reads any of its layers except `exit` itself (a single exit). These are the
 * layers one can copy, as a unit, to compute `f` on another tensor: a residual block's branch, an attention head.
 * Returns the reason instead when any condition fails.
 */
export function branchBetween(graph: ModelGraph, from: string, exit: string): Branch | NoBranch {
  const byName = new Map(graph.nodes.map((node) => [node.name, node] as const));
  const members = new Set<string>();
  const modelInputs = new Set<string>();
  let readsStream = false;
  const pending = [exit];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name === from) {
      readsStream = true;
      continue;
    }
    if (members.has(name) || modelInputs.has(name)) continue;
    const node = byName.get(name);
    if (node === undefined) return { reason: `layer "${name}" does not exist` };
    if (node.className === 'InputLayer') {
      modelInputs.add(name);
      continue;
    }
    if (node.inbound.length !== 1) return { reason: `layer "${name}" in it is called ${node.inbound.length} times (a shared layer)` };
    members.add(name);
    for (const ref of node.inbound[0] ?? []) pending.push(ref.layer);
  }
  if (!readsStream) return { reason: `"${exit}" does not depend on "${from}"` };
  const readers = (name: string): string[] => graph.nodes.filter((n: LayerNode) => n.inbound.some((call) => call.some((ref) => ref.layer === name))).map((n) => n.name);
  for (const name of members) {
    if (graph.outputs.some((ref) => ref.layer === name)) return { reason: `layer "${name}" in it is a model output` };
    if (name === exit) continue;
    const outside = readers(name).find((reader) => !members.has(reader));
    if (outside !== undefined) return { reason: `layer "${name}" in it is also read by "${outside}" outside the branch (more than one exit)` };
  }
  return { from, exit, layers: graph.nodes.filter((n) => members.has(n.name)).map((n) => n.name), modelInputs: [...modelInputs] };
}

/** True when {@link branchBetween} found a branch. */
export function isBranch(found: Branch | NoBranch): found is Branch {
  return 'layers' in found;
}
