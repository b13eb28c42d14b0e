import type { ModelGraph } from './graph/types.js';

/** The one site of a model-wide strategy: it rewrites the whole model rather than growing after one layer. */
export const MODEL_WIDE_SITE = '*';

/**
 * Where a strategy is applied: after the layer named `after` (its first and only call), or `'*'`
 * ({@link MODEL_WIDE_SITE}) for a model-wide strategy.
 */
export interface Site {
  readonly after: string;
}

/** Per-call options of a strategy whose option type is not known (the CLI's): any keys, values may be strings. */
export type StrategyOptions = Readonly<Record<string, unknown>>;

/** What {@link SurgeryStrategy.apply} returns. */
export interface ApplyResult {
  readonly graph: ModelGraph;
  /** Names of the layers the strategy added (or whose weights it replaced in place, e.g. when widening). */
  readonly added: readonly string[];
}

/**
 * A surgery strategy, small like a Rollup plugin: a name, the sites where it is exact, and how to apply it.
 * Core never names a strategy; strategies build on the graph, site and layer primitives exported by core.
 *
 * `Options` is the type of the strategy's options (`denseIdentity({ units: 32 })`); `grow` type-checks per-call
 * options against it, so `grow(model, denseIdentity(), site, { units: '24' })` does not compile. A strategy typed
 * without options (`SurgeryStrategy`, as the CLI holds them) takes any keys, and text values from `--set key=value`
 * still parse at run time.
 *
 * A strategy is either layer-wise (`scope` absent or `'layer'`: `findSites` lists layer names) or model-wide
 * (`scope: 'model'`: `findSites` lists the single site `'*'`, or nothing when the model is refused, and `apply`
 * receives `{ after: '*' }`).
 */
export interface SurgeryStrategy<Options extends object = StrategyOptions> {
  /** Kebab-case name, e.g. `dense-identity`. */
  readonly name: string;
  /** One sentence for listings. */
  readonly description: string;
  /** `'model'` for a strategy that rewrites the whole model at the site `'*'`; default `'layer'`. */
  readonly scope?: 'layer' | 'model';
  /** Layers after which the strategy applies exactly, in graph order; `['*']` (or `[]`) for a model-wide one. */
  findSites(graph: ModelGraph): string[];
  /**
   * Optional: why the strategy does not apply after `layer` (or, model-wide, at `'*'`); used in the error `grow`
   * throws. Return `undefined` when it does apply.
   */
  explain?(graph: ModelGraph, layer: string): string | undefined;
  /**
   * Apply the strategy after `site.after`, returning a new graph. Must not mutate `graph`.
   * @throws GraftError with code `SITE_NOT_OFFERED`, `INVALID_OPTION` or `NOT_EXACT`.
   */
  apply(graph: ModelGraph, site: Site, options?: Readonly<Options>): ApplyResult;
}

/** True when `strategy` is model-wide: it offers the single site `'*'`. */
export function isModelWide(strategy: Pick<SurgeryStrategy, 'scope'>): boolean {
  return strategy.scope === 'model';
}
