import { branchBetween, consumersOf, isBranch, isSingleOutputSite, type Branch, type ModelGraph } from '@graft/core';

/** A residual Add `y = x + f(x)`: the stream `x` and the branch `f` computing its other input. */
export interface ResidualAdd {
  /** The Add layer. */
  readonly add: string;
  /** The layer whose output is the stream `x`. */
  readonly stream: string;
  /** The branch `f`; `branch.exit` is the Add's other input. */
  readonly branch: Branch;
}

/** Why a layer is not a residual Add. */
export interface NotResidual {
  readonly reason: string;
}

/**
 * The residual Add `name`, split into its stream and its branch: an Add of two tensors, one of which (the branch's
 * exit) is computed from the other (the stream) by layers that read nothing else from the model but model inputs,
 * are each called once, and are read from outside only through the exit, by this Add alone.
 */
export function residualAdd(graph: ModelGraph, name: string): ResidualAdd | NotResidual {
  const node = graph.nodes.find((n) => n.name === name);
  if (node === undefined) return { reason: `there is no layer "${name}"` };
  if (node.className !== 'Add') return { reason: `it is a ${node.className}, not a residual Add` };
  if (node.inbound.length !== 1) return { reason: `the Add is called ${node.inbound.length} times (a shared layer)` };
  const inputs = node.inbound[0] ?? [];
  if (inputs.length !== 2) return { reason: `the Add sums ${inputs.length} tensors; a residual Add sums two, x and f(x)` };
  const [a, b] = inputs.map((ref) => ref.layer) as [string, string];
  if (a === b) return { reason: `the Add sums "${a}" with itself` };
  const reasons: string[] = [];
  for (const [stream, exit] of [[a, b], [b, a]] as const) {
    const found = branchBetween(graph, stream, exit);
    if (!isBranch(found)) {
      if (!found.reason.endsWith(`does not depend on "${stream}"`)) reasons.push(`the branch from "${stream}" to "${exit}" is not self-contained: ${found.reason}`);
      continue;
    }
    if (!isSingleOutputSite(graph, stream)) return { reason: `the stream "${stream}" is called more than once or has several outputs` };
    const readers = consumersOf(graph, exit).filter((c) => c.layer !== name);
    if (readers.length > 0) return { reason: `the branch output "${exit}" is also read by "${readers[0]!.layer}"` };
    return { add: name, stream, branch: found };
  }
  return { reason: reasons[0] ?? `neither input of the Add ("${a}", "${b}") is computed from the other, so it is not a residual connection` };
}

/** True when {@link residualAdd} found a residual Add. */
export function isResidualAdd(found: ResidualAdd | NotResidual): found is ResidualAdd {
  return 'branch' in found;
}

/**
 * The residual Adds from `first` through `last` along one stream: each next Add's stream is the previous Add's
 * output (a transformer block is its attention Add followed by its MLP Add). Returns the reason when `last` is not
 * reached that way.
 */
export function residualSpan(graph: ModelGraph, first: string, last: string): ResidualAdd[] | NotResidual {
  const start = residualAdd(graph, first);
  if (!isResidualAdd(start)) return { reason: `"${first}" is not a residual Add: ${start.reason}` };
  const span = [start];
  for (let current = start; current.add !== last; ) {
    const next = consumersOf(graph, current.add)
      .map((c) => residualAdd(graph, c.layer))
      .filter((r): r is ResidualAdd => isResidualAdd(r) && r.stream === current.add);
    if (next.length !== 1) return { reason: `no residual Add continues the stream after "${current.add}" towards "${last}"` };
    current = next[0]!;
    span.push(current);
    if (span.length > graph.nodes.length) return { reason: `the stream from "${first}" loops` };
  }
  return span;
}
