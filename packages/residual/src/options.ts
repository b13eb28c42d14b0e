import { choiceOption, standardOptions, type ResolvedOptions } from '@graft/core';

/** Activations the branch's first layer may use: tfjs-layers names that any tfjs build loads. */
export const ACTIVATIONS = ['relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'linear'] as const;

/** An activation of the branch's first layer. */
export type BranchActivation = (typeof ACTIVATIONS)[number];

/** Options of {@link residual}; the same keys may be given per call of `grow` (as strings from the CLI). */
export interface ResidualOptions {
  /** Units (rank 2) or filters (rank 4) of the branch's first layer: an integer from 1 to 1,000,000. Default: the width of `x`, capped at 256. */
  readonly hidden?: number;
  /** Activation of the branch's first layer. Default `relu`. */
  readonly activation?: BranchActivation;
  /** Height and width of the first conv's kernel at rank-4 sites: an odd integer from 1 to 31. Default 3. */
  readonly kernelSize?: number;
  /** Seed of the first layer's random kernel (an integer from 0 to 2³²−1). Default 1. */
  readonly seed?: number;
}

/** `hidden` is a width like any other, so it reads as `units` does everywhere. */
export const OPTIONS = { hidden: standardOptions.units, activation: choiceOption(ACTIVATIONS), kernelSize: standardOptions.kernelSize, seed: standardOptions.seed };

export const DEFAULTS = { hidden: undefined, activation: 'relu', kernelSize: 3, seed: 1 } as const;

/** Options after merging; `hidden` stays undefined when it follows the width of `x`. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;
