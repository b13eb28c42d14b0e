import { GraftError } from '@graft/core';

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

const KNOWN = new Set(['kernelSize', 'gate', 'seed']);

function invalid(message: string): never {
  throw new GraftError('INVALID_OPTION', `conv-gate: ${message}`);
}

/** Integers may come as numbers or, from the CLI's `--set key=value`, as strings. */
function parseInteger(key: string, value: unknown, expected: string): number {
  const parsed = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) invalid(`option "${key}" must be ${expected}; got ${JSON.stringify(value)}.`);
  return parsed;
}

/**
 * Merges `overrides` (from `grow` or the CLI, possibly strings) over `base` and validates the result.
 * @throws GraftError `INVALID_OPTION` naming the option, the value found and what was expected.
 */
export function resolveOptions(base: ResolvedConvGateOptions, overrides: Readonly<Record<string, unknown>> | undefined): ResolvedConvGateOptions {
  if (overrides === undefined) return base;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) invalid(`options must be an object like { kernelSize: 3, gate: "relu" }; got ${JSON.stringify(overrides)}.`);
  let { kernelSize, gate, seed } = base;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!KNOWN.has(key)) invalid(`unknown option "${key}"; expected one of: ${[...KNOWN].join(', ')}.`);
    if (key === 'kernelSize') {
      kernelSize = parseInteger(key, value, 'an odd positive integer such as 3 or 5');
      if (kernelSize < 1 || kernelSize % 2 === 0) invalid(`option "kernelSize" must be an odd positive integer such as 3 or 5 (so "same" padding is centred); got ${JSON.stringify(value)}.`);
    } else if (key === 'gate') {
      if (typeof value !== 'string' || !(GATES as readonly string[]).includes(value.trim())) invalid(`option "gate" must be one of ${GATES.join(', ')}; got ${JSON.stringify(value)}.`);
      gate = value.trim() as GateKind;
    } else {
      seed = parseInteger(key, value, 'an integer');
    }
  }
  return Object.freeze({ kernelSize, gate, seed });
}
