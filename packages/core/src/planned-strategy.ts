import { GraftError, type GraftErrorCode } from './errors.js';
import type { ModelGraph } from './graph/types.js';
import type { ApplyResult, Site, StrategyOptions, SurgeryStrategy } from './strategy.js';

/** Why a strategy is not exact after a layer; `code` defaults to `SITE_NOT_OFFERED`. */
export interface SiteRefusal {
  readonly ok: false;
  readonly reason: string;
  readonly code?: GraftErrorCode;
}

/** A strategy's verdict on one layer: a refusal, or the plan it will build there. */
export type SitePlanOutcome<Plan extends object> = SiteRefusal | (Plan & { readonly ok: true });

/** The pieces of a strategy that decides each site with one planning function. */
export interface PlannedStrategySpec<Options, Plan extends object> {
  readonly name: string;
  readonly description: string;
  /**
   * Validates raw options — the factory's, or per-call overrides (strings from the CLI's `--set`) merged over `base`.
   * @throws GraftError `INVALID_OPTION`.
   */
  readonly options: (raw: unknown, base?: Options) => Options;
  /** Whether and how the strategy is exact after `layer` with these options: the one source of sites and refusals. */
  readonly plan: (graph: ModelGraph, layer: string, options: Options) => SitePlanOutcome<Plan>;
  /** Builds the grown graph for an accepted plan. */
  readonly build: (graph: ModelGraph, site: Site, plan: Plan, options: Options) => ApplyResult;
}

/**
 * Makes a {@link SurgeryStrategy} from a planning function, so that `findSites`, `explain` and `apply`'s refusals
 * can never disagree: every layer the plan accepts (with the factory's options) is a site, every refusal's reason
 * is the explanation, and `apply` re-plans with the per-call options before building.
 *
 * @throws GraftError `INVALID_OPTION` (from `spec.options`) when the factory's options are invalid.
 */
export function plannedStrategy<Options, Plan extends object>(spec: PlannedStrategySpec<Options, Plan>, factoryOptions?: unknown): SurgeryStrategy {
  const base = spec.options(factoryOptions);
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    findSites: (graph: ModelGraph): string[] => graph.nodes.filter((node) => spec.plan(graph, node.name, base).ok).map((node) => node.name),
    explain: (graph: ModelGraph, layer: string): string | undefined => {
      const outcome = spec.plan(graph, layer, base);
      return outcome.ok ? undefined : outcome.reason;
    },
    apply: (graph: ModelGraph, site: Site, overrides?: StrategyOptions): ApplyResult => {
      if (typeof site !== 'object' || site === null || typeof site.after !== 'string') {
        throw new GraftError('SITE_NOT_OFFERED', `Strategy "${spec.name}" needs a site { after: "<layer name>" }.`);
      }
      const options = spec.options(overrides, base);
      const outcome = spec.plan(graph, site.after, options);
      if (!outcome.ok) {
        throw new GraftError(outcome.code ?? 'SITE_NOT_OFFERED', `Strategy "${spec.name}" does not apply after layer "${site.after}": ${outcome.reason}.`);
      }
      return spec.build(graph, site, outcome, options);
    },
  });
}
