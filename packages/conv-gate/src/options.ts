import { choiceOption, standardOptions, type ResolvedOptions } from '@graft/core';

/** The gate nonlinearities graft offers; each is initialised so the gate multiplies by exactly 1. */
export const GATES = ['relu', 'linear', 'tanh', 'sigmoid'] as const;

/** How the gate is built: `relu`/`linear` use `g = act(conv + 1)`, `tanh` uses `1 + tanh(conv)`, `sigmoid` `2·sigmoid(conv)`. */
export type GateKind = (typeof GATES)[number];

/** Options of {@link convGate}; the same keys may be given per call of `grow` (as strings from the CLI). */
export interface ConvGateOptions {
  /** Height and width of the gate's kernel: an odd integer from 1 to 31. Default 3. */
  readonly kernelSize?: number;
  /** Gate nonlinearity. Default `relu`. */
  readonly gate?: GateKind;
  /**
   * Accepted so every strategy takes a seed; the gate's initial weights are constants (zero kernel), so the seed
   * changes nothing.
   */
  readonly seed?: number;
}

export const OPTIONS = { kernelSize: standardOptions.kernelSize, gate: choiceOption(GATES), seed: standardOptions.seed };

export const DEFAULTS = { kernelSize: 3, gate: 'relu', seed: 1 } as const;

/** Options after merging: every value present and valid. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;
