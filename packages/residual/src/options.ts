import { choiceOption, integerOption, readOptions } from '@graft/core';

/** Activations the branch's first layer may use: tfjs-layers names that any tfjs build loads. */
export const ACTIVATIONS = ['relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'linear'] as const;

/** An activation of the branch's first layer. */
export type BranchActivation = (typeof ACTIVATIONS)[number];

/** Options of {@link residual}. */
export interface ResidualOptions {
  /** Units (rank 2) or filters (rank 4) of the branch's first layer: a positive integer. Default: the width of `x`. */
  readonly hidden?: number;
  /** Activation of the branch's first layer. Default `relu`. */
  readonly activation?: BranchActivation;
  /** Height and width of the first conv's kernel at rank-4 sites: an odd positive integer. Default 3. */
  readonly kernelSize?: number;
  /** Seed of the first layer's random kernel. Default 1. */
  readonly seed?: number;
}

/** Options after parsing; `hidden` stays undefined when it follows the width of `x`. */
export interface ResolvedResidualOptions {
  readonly hidden: number | undefined;
  readonly activation: BranchActivation;
  readonly kernelSize: number;
  readonly seed: number;
}

export const DEFAULT_OPTIONS: ResolvedResidualOptions = Object.freeze({ hidden: undefined, activation: 'relu', kernelSize: 3, seed: 1 });

const SPEC = {
  hidden: integerOption({ min: 1, expected: 'a positive integer (units or filters of the first branch layer)' }),
  activation: choiceOption(ACTIVATIONS, { expected: `one of ${ACTIVATIONS.join(', ')}` }),
  kernelSize: integerOption({ min: 1, odd: true, expected: 'an odd positive integer such as 3 or 5 (so "same" padding is centred)' }),
  seed: integerOption({ expected: 'an integer' }),
};

/**
 * Merges `overrides` (from `grow` or the CLI, possibly strings) over `base` and validates the result.
 * @throws GraftError `INVALID_OPTION` naming the option, the value found and what was expected.
 */
export function resolveOptions(base: ResolvedResidualOptions, overrides: Readonly<Record<string, unknown>> | undefined): ResolvedResidualOptions {
  if (overrides === undefined) return base;
  const given = readOptions('residual', overrides, SPEC, { colon: true, sentence: 'must-be', example: '{ hidden: 32, activation: "relu" }' });
  return Object.freeze({
    hidden: given.hidden ?? base.hidden,
    activation: given.activation ?? base.activation,
    kernelSize: given.kernelSize ?? base.kernelSize,
    seed: given.seed ?? base.seed,
  });
}
