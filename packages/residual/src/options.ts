import { GraftError } from '@graft/core';

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

const KNOWN = ['hidden', 'activation', 'kernelSize', 'seed'];

function invalid(message: string): never {
  throw new GraftError('INVALID_OPTION', `residual: ${message}`);
}

/** Integers may come as numbers or, from the CLI's `--set key=value`, as strings. */
function parseInteger(key: string, value: unknown, expected: string, valid: (n: number) => boolean): number {
  const parsed = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || !valid(parsed)) invalid(`option "${key}" must be ${expected}; got ${JSON.stringify(value)}.`);
  return parsed;
}

/**
 * Merges `overrides` (from `grow` or the CLI, possibly strings) over `base` and validates the result.
 * @throws GraftError `INVALID_OPTION` naming the option, the value found and what was expected.
 */
export function resolveOptions(base: ResolvedResidualOptions, overrides: Readonly<Record<string, unknown>> | undefined): ResolvedResidualOptions {
  if (overrides === undefined) return base;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) invalid(`options must be an object like { hidden: 32, activation: "relu" }; got ${JSON.stringify(overrides)}.`);
  let { hidden, activation, kernelSize, seed } = base;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    switch (key) {
      case 'hidden':
        hidden = parseInteger(key, value, 'a positive integer (units or filters of the first branch layer)', (n) => n >= 1);
        break;
      case 'activation':
        if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value.trim())) invalid(`option "activation" must be one of ${ACTIVATIONS.join(', ')}; got ${JSON.stringify(value)}.`);
        activation = value.trim() as BranchActivation;
        break;
      case 'kernelSize':
        kernelSize = parseInteger(key, value, 'an odd positive integer such as 3 or 5 (so "same" padding is centred)', (n) => n >= 1 && n % 2 === 1);
        break;
      case 'seed':
        seed = parseInteger(key, value, 'an integer', () => true);
        break;
      default:
        invalid(`unknown option "${key}"; expected one of: ${KNOWN.join(', ')}.`);
    }
  }
  return Object.freeze({ hidden, activation, kernelSize, seed });
}
