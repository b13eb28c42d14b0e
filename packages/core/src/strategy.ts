import type { ModelGraph } from './graph/types.js';

/** Where a strategy is applied: after the layer named `after` (its first and only call). */
export interface Site {
  readonly after: string;
}

/** Per-call option overrides passed through `grow` to `apply`. Values from the CLI arrive as strings. */
export type StrategyOptions = Readonly<Record<string, unknown>>;

/** What {@link SurgeryStrategy.apply} returns. */
export interface ApplyResult {
  readonly graph: ModelGraph;
  /** Names of the layers the strategy added (or whose weights it replaced in place, e.g. when widening). */
  readonly added: readonly string[];
}

/**
 * A surgery strategy, small like a Rollup plugin: a name, the sites where it is exact, and how to apply it.
 * Core never names a strategy; strategies build on the graph and surgery primitives exported by core.
 *
 * A strategy's factory takes its typed options (`denseIdentity({ units: 32 })`); `apply` also receives overrides as
 * given to `grow` (or the CLI's `--set key=value`, which arrive as strings). A strategy validates them and throws
 * `GraftError('INVALID_OPTION')` on bad values.
 */
export interface SurgeryStrategy {
  /** Kebab-case name, e.g. `dense-identity`. */
  readonly name: string;
  /** One sentence for listings. */
  readonly description: string;
  /** Layers after which the strategy applies exactly, in graph order. */
  findSites(graph: ModelGraph): string[];
  /**
   * Optional: why the strategy does not apply after `layer` (used in the error `grow` throws).
   * Return `undefined` when it does apply.
   */
  explain?(graph: ModelGraph, layer: string): string | undefined;
  /**
   * Apply the strategy after `site.after`, returning a new graph. Must not mutate `graph`.
   * @throws GraftError with code `SITE_NOT_OFFERED`, `INVALID_OPTION` or `NOT_EXACT`.
   */
  apply(graph: ModelGraph, site: Site, options?: StrategyOptions): ApplyResult;
}
