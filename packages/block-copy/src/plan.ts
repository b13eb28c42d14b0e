import { outputShapeOf, type ModelGraph } from '@graft/core';
import { isResidualAdd, residualAdd, residualSpan, type ResidualAdd } from './residual-add.js';
import { zeroTargets, type ZeroTargets } from './zero-exit.js';

/** What to copy where: the options of {@link planBlockCopy}. */
export interface SpanChoice {
  /** A residual Add whose branch (or span, with `through`) is copied instead of the site's own. */
  readonly source?: string | undefined;
  /** The last residual Add of the copied span, which starts at `source` (or the site) and follows the stream. */
  readonly through?: string | undefined;
}

/** One residual step to copy: its Add, and the weights to zero in its branch's copy. */
export interface CopiedStep {
  readonly residual: ResidualAdd;
  readonly zero: ZeroTargets;
}

/** A block copy that is exact: which steps to copy, and after which layer the copy goes. */
export interface BlockCopyPlan {
  readonly steps: readonly CopiedStep[];
  /** The layer whose output feeds the copy: the site with `source`, else the span's last Add. */
  readonly insertAfter: string;
}

/** Why a block copy is not exact at a site. */
export interface BlockCopyRefusal {
  readonly reason: string;
}

const sameShape = (a: readonly (number | null)[], b: readonly (number | null)[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Whether, and how, a copy of a residual block is exact at `site` (a residual Add): the span from `source ?? site`
 * through `through ?? source ?? site` along the stream is copied with every branch's last weighted layer zeroed,
 * so each new Add passes the stream on unchanged. Without `source` the copy goes right after the span it copies
 * (LLaMA Pro's interleaving); with `source` it goes after the site, whose output must have the source stream's shape.
 */
export function planBlockCopy(graph: ModelGraph, site: string, choice: SpanChoice = {}): BlockCopyPlan | BlockCopyRefusal {
  const atSite = residualAdd(graph, site);
  if (!isResidualAdd(atSite)) return { reason: atSite.reason };
  const first = choice.source ?? site;
  const last = choice.through ?? first;
  const span = residualSpan(graph, first, last);
  if (!Array.isArray(span)) return { reason: choice.through === undefined ? span.reason : `through "${last}": ${span.reason}` };
  const steps: CopiedStep[] = [];
  for (const residual of span) {
    const zero = zeroTargets(graph, residual.branch);
    if ('reason' in zero) return { reason: `the branch of "${residual.add}" cannot be zeroed: ${zero.reason}` };
    steps.push({ residual, zero });
  }
  const insertAfter = choice.source === undefined ? last : site;
  if (choice.source !== undefined) {
    const wanted = outputShapeOf(graph, span[0]!.stream);
    const given = outputShapeOf(graph, site);
    if (!sameShape(wanted, given)) return { reason: `source "${first}" reads a stream of shape [${wanted.join(', ')}], but "${site}" outputs [${given.join(', ')}]` };
  }
  return { steps, insertAfter };
}
