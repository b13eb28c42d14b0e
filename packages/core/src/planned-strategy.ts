import { GraftError, type GraftErrorCode } from './errors.js';
import type { ModelGraph } from './graph/types.js';
import { readOptions, standardOptions, type OptionField, type OptionSpec } from './options.js';
import { MODEL_WIDE_SITE, type ApplyResult, type Site, type SurgeryStrategy } from './strategy.js';

/** Why a strategy is not exact after a layer; `code` defaults to `SITE_NOT_OFFERED`. */
export interface SiteRefusal {
  readonly ok: false;
  readonly reason: string;
  readonly code?: GraftErrorCode;
}

/** A refusal with `reason` (one line, no final full stop) and, unless given, the code `SITE_NOT_OFFERED`. */
export function refuse(reason: string, code?: GraftErrorCode): SiteRefusal {
  return code === undefined ? { ok: false, reason } : { ok: false, reason, code };
}

/** A strategy's verdict on one layer: a refusal, or the plan it will build there. */
export type SitePlanOutcome<Plan extends object> = SiteRefusal | (Plan & { readonly ok: true });

/**
 * The verdict of a planner that returns either its plan or `{ reason }`: the refusal with that reason (code
 * `SITE_NOT_OFFERED`), or `{ ok: true, plan }`, so that such a strategy's `plan` is one call,
 * `(graph, layer) => planOrRefuse(planMine(graph, layer))`, and its `build` reads `{ plan }`.
 */
export function planOrRefuse<Plan extends object>(found: Plan | { readonly reason: string }): SitePlanOutcome<{ readonly plan: Plan }> {
  return 'reason' in found ? refuse(found.reason) : { ok: true, plan: found };
}

/** The value type an option field reads. */
export type FieldValue<F> = F extends OptionField<infer T> ? T : never;

/** A default per option of `S`; `undefined` where the strategy decides per site (a width that follows the layer's). */
export type OptionDefaults<S extends OptionSpec> = { readonly [K in keyof S]: FieldValue<S[K]> | undefined };

/** Options after merging and validation: every key present, `undefined` only where its default is. */
export type ResolvedOptions<S extends OptionSpec, D extends OptionDefaults<S>> = {
  readonly [K in keyof S]: FieldValue<S[K]> | (undefined extends D[K] ? undefined : never);
};

/** What a strategy's factory may be given for the spec `S`: any of its keys, each of the type its field reads. */
export type GivenOptions<S extends OptionSpec> = { readonly [K in keyof S]?: FieldValue<S[K]> };

/** The pieces of a strategy that decides each site with one planning function and declares its options once. */
export interface PlannedStrategySpec<S extends OptionSpec, D extends OptionDefaults<S>, Plan extends object> {
  readonly name: string;
  readonly description: string;
  /** `'model'` for a model-wide strategy: its one site is `'*'`, which `plan` receives as the layer. */
  readonly scope?: 'layer' | 'model';
  /** Every option, by name: how it reads (numbers, or text from the CLI's `--set`). Shared names use {@link standardOptions}. */
  readonly options: S;
  /** The default of every option. */
  readonly defaults: D;
  /**
   * Groups of options that exclude each other (widen's `units` and `factor`): one set of options may give at most
   * one of a group, and a member given per call replaces the group's value from the factory or the defaults.
   */
  readonly exclusive?: readonly (readonly (keyof S & string)[])[];
  /** Whether and how the strategy is exact after `layer` with these options: the one source of sites and refusals. */
  readonly plan: (graph: ModelGraph, layer: string, options: ResolvedOptions<S, D>) => SitePlanOutcome<Plan>;
  /** Builds the grown graph for an accepted plan. */
  readonly build: (graph: ModelGraph, site: Site, plan: Plan, options: ResolvedOptions<S, D>) => ApplyResult;
}

function checkSpec(spec: PlannedStrategySpec<OptionSpec, OptionDefaults<OptionSpec>, object>): void {
  const fail = (message: string): never => {
    throw new GraftError('INVALID_STRATEGY', `Strategy "${spec.name}": ${message}.`);
  };
  for (const [key, field] of Object.entries(spec.options)) {
    const standard = (standardOptions as Readonly<Record<string, OptionField<unknown>>>)[key];
    if (standard !== undefined && field !== standard) fail(`option "${key}" must use core's standardOptions.${key}, so that "${key}" has the same bounds in every strategy`);
    const fallback = spec.defaults[key];
    if (fallback !== undefined && !field.read(fallback).ok) fail(`the default of option "${key}" is not ${field.expected}`);
  }
  for (const group of spec.exclusive ?? []) for (const key of group) if (!Object.hasOwn(spec.options, key)) fail(`exclusive option "${key}" is not an option`);
}

/** `raw` read and merged over `base`; a group member given in `raw` replaces the whole group of `base`. */
function mergeOptions<S extends OptionSpec, D extends OptionDefaults<S>>(spec: Pick<PlannedStrategySpec<S, D, object>, 'name' | 'options' | 'exclusive'>, base: ResolvedOptions<S, D>, raw: unknown): ResolvedOptions<S, D> {
  if (raw === undefined) return base;
  const given = readOptions(spec.name, raw, spec.options) as Readonly<Record<string, unknown>>;
  const merged: Record<string, unknown> = { ...base };
  for (const group of spec.exclusive ?? []) {
    const present = group.filter((key) => given[key] !== undefined);
    if (present.length > 1) throw new GraftError('INVALID_OPTION', `${spec.name}: got options ${present.map((key) => `"${key}"`).join(' and ')}; expected at most one of ${group.join(', ')}.`);
    if (present.length === 1) for (const key of group) merged[key] = undefined;
  }
  for (const [key, value] of Object.entries(given)) if (value !== undefined) merged[key] = value;
  return Object.freeze(merged) as ResolvedOptions<S, D>;
}

/**
 * Makes a {@link SurgeryStrategy} from a planning function and an option spec, so that `findSites`, `explain` and
 * `apply`'s refusals can never disagree and every strategy reads options the same way: every layer the plan accepts
 * (with the factory's options) is a site, every refusal's reason is the explanation, and `apply` merges the
 * per-call options over the factory's (which were merged over `defaults`), validates them, and re-plans before
 * building. A model-wide strategy (`scope: 'model'`) is planned at the single site `'*'`.
 *
 * @param spec the strategy's name, description, options, defaults, plan and build.
 * @param factoryOptions the options given to the strategy's factory; they fix the type of per-call options.
 * @throws GraftError `INVALID_OPTION` when the factory's options are invalid; `INVALID_STRATEGY` when the spec
 *   declares a shared option name with its own bounds, or a default its own field refuses.
 */
export function plannedStrategy<Options extends GivenOptions<S>, S extends OptionSpec, D extends OptionDefaults<S>, Plan extends object>(
  spec: PlannedStrategySpec<S, D, Plan>,
  factoryOptions?: Options,
): SurgeryStrategy<Options> {
  checkSpec(spec as unknown as PlannedStrategySpec<OptionSpec, OptionDefaults<OptionSpec>, object>);
  const modelWide = spec.scope === 'model';
  const base = mergeOptions(spec, Object.freeze({ ...spec.defaults }) as unknown as ResolvedOptions<S, D>, factoryOptions);
  const strategy: SurgeryStrategy<Options> = {
    name: spec.name,
    description: spec.description,
    ...(modelWide ? { scope: 'model' as const } : {}),
    findSites: (graph: ModelGraph): string[] =>
      modelWide ? (spec.plan(graph, MODEL_WIDE_SITE, base).ok ? [MODEL_WIDE_SITE] : []) : graph.nodes.filter((node) => spec.plan(graph, node.name, base).ok).map((node) => node.name),
    explain: (graph: ModelGraph, layer: string): string | undefined => {
      const outcome = spec.plan(graph, layer, base);
      return outcome.ok ? undefined : outcome.reason;
    },
    apply: (graph: ModelGraph, site: Site, overrides?: Readonly<Options>): ApplyResult => {
      if (typeof site !== 'object' || site === null || typeof site.after !== 'string') {
        throw new GraftError('SITE_NOT_OFFERED', `Strategy "${spec.name}" needs a site { after: "${modelWide ? MODEL_WIDE_SITE : '<layer name>'}" }.`);
      }
      if (modelWide !== (site.after === MODEL_WIDE_SITE)) {
        const expected = modelWide ? `is model-wide; expected the site "${MODEL_WIDE_SITE}"` : `grows after a layer; "${MODEL_WIDE_SITE}" is the site of model-wide strategies`;
        throw new GraftError('SITE_NOT_OFFERED', `Strategy "${spec.name}" ${expected}, got "${site.after}".`);
      }
      const options = mergeOptions(spec, base, overrides);
      const outcome = spec.plan(graph, site.after, options);
      if (!outcome.ok) {
        const where = modelWide ? 'to this model' : `after layer "${site.after}"`;
        throw new GraftError(outcome.code ?? 'SITE_NOT_OFFERED', `Strategy "${spec.name}" does not apply ${where}: ${outcome.reason}.`);
      }
      return spec.build(graph, site, outcome, options);
    },
  };
  return Object.freeze(strategy);
}
