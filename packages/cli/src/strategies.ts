import type { SurgeryStrategy } from '@graft/core';
import { GraftError } from '@graft/core';
import { addHeads } from '@graft/add-heads';
import { blockCopy } from '@graft/block-copy';
import { convGate } from '@graft/conv-gate';
import { convIdentity } from '@graft/conv-identity';
import { denseIdentity } from '@graft/dense-identity';
import { hyperclone } from '@graft/hyperclone';
import { residual } from '@graft/residual';
import { widen } from '@graft/widen';

/**
 * Every strategy the CLI offers, by CLI name — a plain list like tfjs's `register_all_kernels.ts`. Core never names
 * a strategy; adding one to the CLI is one import and one line here. Each factory is called with its defaults;
 * per-run options come from `--set key=value`.
 */
export const strategyFactories: Readonly<Record<string, () => SurgeryStrategy>> = Object.freeze({
  'dense-identity': () => denseIdentity(),
  'conv-identity': () => convIdentity(),
  'conv-gate': () => convGate(),
  residual: () => residual(),
  widen: () => widen(),
  'block-copy': () => blockCopy(),
  hyperclone: () => hyperclone(),
  'add-heads': () => addHeads(),
});

/** The CLI names of every registered strategy, in listing order. */
export function strategyNames(): string[] {
  return Object.keys(strategyFactories);
}

/**
 * A fresh strategy by CLI name.
 * @throws GraftError `UNKNOWN_STRATEGY` listing the registered names.
 */
export function createStrategy(name: string): SurgeryStrategy {
  const factory = Object.hasOwn(strategyFactories, name) ? strategyFactories[name] : undefined;
  if (factory === undefined) {
    throw new GraftError('UNKNOWN_STRATEGY', `No strategy named "${name}". Expected one of: ${strategyNames().join(', ')}.`);
  }
  return factory();
}

/** How commands find strategies: the registry above, or another list (tests of model-wide strategies use one). */
export interface StrategyLookup {
  /** CLI names, in listing order. */
  readonly names: () => string[];
  /** A fresh strategy by CLI name; throws GraftError `UNKNOWN_STRATEGY` for other names. */
  readonly create: (name: string) => SurgeryStrategy;
}

/** The strategies registered in {@link strategyFactories}. */
export const registeredStrategies: StrategyLookup = Object.freeze({ names: strategyNames, create: createStrategy });
