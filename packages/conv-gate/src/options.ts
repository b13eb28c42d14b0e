import { choiceOption, integerOption, readOptions } from '@graft/core';

/** The gate nonlinearities graft offers; each is initialised so the gate multiplies by exactly 1. */
export const GATES = ['relu', 'linear', 'tanh', 'sigmoid'] as const;

/** How the gate is built: `relu`/`linear` use `g = act(conv + 1)`, `tanh` uses `1 + tanh(conv)`, `sigmoid` `2·sigmoid(conv)`. */
export type GateKind = (typeof GATES)[number];

/** Options of {@link convGate}. */
export interface ConvGateOptions {
  /** Height and width of the gate's kernel: an odd positive integer. Default 3. */
  readonly kernelSize?: number;
  /** Gate nonlinearity. Default `relu`. */
  readonly gate?: GateKind;
  /**
   * Accepted so every strategy takes a seed; the gate's initial weights are constants (zero kernel), so the seed
   * changes nothing.
   */
  readonly seed?: number;
}

/** Options after parsing: every value present and valid. */
export interface ResolvedConvGateOptions {
  readonly kernelSize: number;
  readonly gate: GateKind;
  readonly seed: number;
}

export const DEFAULT_OPTIONS: ResolvedConvGateOptions = Object.freeze({ kernelSize: 3, gate: 'relu', seed: 1 });

const SPEC = {
  kernelSize: integerOption({ min: 1, odd: true, expected: 'an odd positive integer such as 3 or 5 (so "same" padding is centred)' }),
  gate: choiceOption(GATES, { expected: `one of ${GATES.join(', ')}` }),
  seed: integerOption({ expected: 'an integer' }),
};

/**
 * Merges `overrides` (from `grow` or the CLI, possibly strings) over `base` and validates the result.
 * @throws GraftError `INVALID_OPTION` naming the option, the value found and what was expected.
 */
export function resolveOptions(base: ResolvedConvGateOptions, overrides: Readonly<Record<string, unknown>> | undefined): ResolvedConvGateOptions {
  if (overrides === undefined) return base;
  const given = readOptions('conv-gate', overrides, SPEC, { colon: true, sentence: 'must-be', example: '{ kernelSize: 3, gate: "relu" }' });
  return Object.freeze({ kernelSize: given.kernelSize ?? base.kernelSize, gate: given.gate ?? base.gate, seed: given.seed ?? base.seed });
}
