import { assertStrategy, GraftError, isGraftError } from '@graft/core';
import { messageOf } from './model-tensors.js';

/** What {@link checkStrategyShape} found. */
export interface StrategyShapeResult {
  readonly ok: boolean;
  /** Core's `INVALID_STRATEGY` error, when the value is not a strategy. */
  readonly error?: GraftError;
  readonly message: string;
}

/**
 * Check 7, run first: `value` has the shape of a graft strategy (kebab-case `name`, `description`, `findSites`,
 * `apply`, optional `explain`), as core's `assertStrategy` defines it.
 */
export function checkStrategyShape(value: unknown): StrategyShapeResult {
  try {
    assertStrategy(value);
    return { ok: true, message: `"${value.name}" has the shape of a graft strategy.` };
  } catch (cause) {
    const error = isGraftError(cause) ? cause : new GraftError('INVALID_STRATEGY', messageOf(cause), { cause });
    return { ok: false, error, message: `${error.message} A strategy is { name, description, findSites(graph), apply(graph, site, options) } — see @graft/core's SurgeryStrategy.` };
  }
}
