import { carriesMask, conv, dense, describeSite, initializers, insertAfter, layerNamer, merge, plannedStrategy, refuse, seededRandom, type ApplyResult, type ModelGraph, type NewLayer, type Site, type SiteDescription, type SiteRefusal, type SurgeryStrategy } from '@graft/core';
import { DEFAULTS, OPTIONS, type ResidualOptions, type Resolved } from './options.js';

/** Flattened features can be tens of thousands wide; a square first layer there would hold billions of weights. */
export const MAX_DEFAULT_HIDDEN = 256;

/**
 * A small positive bias keeps the branch's hidden output non-zero even where `x` is zero (dead units, padding) and,
 * with the mirrored kernel, for every input: so the zero-initialised last layer always receives gradient at step 1.
 */
const FIRST_BIAS = 0.01;

/**
 * True when every reader of `layer` takes it as the keys of attention scores: the second input of a Dot with axes
 * [2, 2]. Adding the same vector to every key adds one number to all of a query's scores, which the softmax over
 * keys ignores, so the constant part of a branch there (its first layer's bias, where the relu pattern does not
 * change along the sequence) gets exactly zero gradient and could never learn.
 */
function readOnlyAsKeys(graph: ModelGraph, layer: string): boolean {
  const readers = graph.nodes.filter((node) => node.inbound.some((call) => call.some((ref) => ref.layer === layer)));
  return readers.length > 0 && readers.every((node) => {
    const axes = node.config['axes'];
    return node.className === 'Dot' && Array.isArray(axes) && axes[0] === 2 && axes[1] === 2 && node.inbound.every((call) => call[1]?.layer === layer && call[0]?.layer !== layer);
  });
}


/**
 * Seeded Glorot-uniform values for a `[rows, units]` kernel (row-major; a conv kernel's `[k, k, C]` flattened into
 * rows), in mirrored pairs: unit `j + units/2` starts with minus unit `j`'s weights ("looks-linear" initialisation).
 * With the positive bias, one unit of every pair is active for every input at any scale — `w·x ≤ 0` means
 * `-w·x + b > 0` — so a relu branch can never start (or be pushed by the trunk's first step into) all-dead.
 */
function mirroredGlorot(rows: number, units: number, fanIn: number, fanOut: number, seed: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const random = seededRandom(seed);
  const half = Math.floor(units / 2);
  const values = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < half; j++) {
      const value = (2 * random() - 1) * limit;
      values[r * units + j] = value;
      values[r * units + j + half] = -value;
    }
    if (units % 2 === 1) values[r * units + units - 1] = (2 * random() - 1) * limit;
  }
  return values;
}

interface BranchShape {
  readonly rank: number;
  /** Units or channels of `x`. */
  readonly width: number;
  readonly hidden: number;
}

/** Dense at rank 2 (and per token at rank 3); a same-padded convolution on channels_last images. */
function branchLayer(name: string, input: string, rank: number, [inputWidth, units]: readonly [number, number], kernelSize: number, weights: Omit<Parameters<typeof dense>[0], 'name' | 'input' | 'units' | 'inputWidth'>): NewLayer {
  if (rank === 4) return conv({ name, input, rank: 4, inputWidth, filters: units, kernelSize, ...weights });
  return dense({ name, input, inputWidth, units, ...weights });
}

function firstLayer(name: string, after: string, shape: BranchShape, options: Resolved): NewLayer {
  const { width, hidden } = shape;
  const k = shape.rank === 4 ? options.kernelSize : 1;
  const rows = k * k * width;
  return branchLayer(name, after, shape.rank, [width, hidden], k, {
    activation: options.activation,
    kernel: mirroredGlorot(rows, hidden, rows, k * k * hidden, options.seed),
    bias: new Float32Array(hidden).fill(FIRST_BIAS),
    kernelInitializer: initializers.glorotUniform(options.seed),
    biasInitializer: initializers.constant(FIRST_BIAS),
  });
}

/** The branch's only zero factor: its output is exactly 0 at insertion, and it is the layer that learns first. */
function zeroLayer(name: string, input: string, shape: BranchShape): NewLayer {
  const { width, hidden } = shape;
  return branchLayer(name, input, shape.rank, [hidden, width], 1, { kernel: new Float32Array(hidden * width), kernelInitializer: initializers.zeros(), biasInitializer: initializers.zeros() });
}

/** The width of `x`, capped, and at least 2 so a one-feature site (a regression head) still gets a mirrored pair. */
function defaultHidden(width: number): number {
  return Math.max(2, Math.min(width, MAX_DEFAULT_HIDDEN));
}

function branchLayers(graph: ModelGraph, after: string, rank: number, width: number, options: Resolved): NewLayer[] {
  const shape: BranchShape = { rank, width, hidden: options.hidden ?? defaultHidden(width) };
  const name = layerNamer(graph);
  const first = firstLayer(name(`${after}_branch`), after, shape, options);
  const last = zeroLayer(name(`${after}_branch_out`), first.name, shape);
  return [first, last, merge('Add', name(`${after}_residual`), [after, last.name])];
}

/** Where a branch may go: the single float output of a layer, rank 2, per token at rank 3, or channels_last rank 4; never a masked sequence. */
function planBranch(graph: ModelGraph, layer: string): SiteDescription | SiteRefusal {
  const site = describeSite(graph, layer, { strategy: 'residual', ranks: [2, 3, 4], inputs: false });
  if (site.ok && carriesMask(graph, layer)) return refuse(`output of "${layer}" carries a padding mask (mask_zero or Masking), which the residual Add cannot merge with its unmasked branch`);
  if (site.ok && readOnlyAsKeys(graph, layer)) return refuse(`output of "${layer}" is read only as attention keys, where the softmax ignores a branch's constant part, so its bias could never learn`);
  return site;
}

function buildBranch(graph: ModelGraph, site: Site, plan: SiteDescription, options: Resolved): ApplyResult {
  const layers = branchLayers(graph, site.after, plan.rank, plan.width, options);
  return { graph: insertAfter(graph, site.after, layers), added: layers.map((layer) => layer.name) };
}

/**
 * A zero-initialised residual branch `y = x + f(x)` after a rank-2, rank-3 (per token) or rank-4 (channels_last) layer — LLaMA Pro's
 * block expansion, ReZero, ControlNet's zero convolution. `f` is Dense → Dense (rank 2, and per token at rank 3) or Conv2D k×k → Conv2D 1×1
 * (rank 4); its first layer is seeded random, its last layer is zero, so `f(x) = 0` and `y = x` exactly, whatever
 * the activations. The zero layer receives gradient at the first step; the first layer from the second.
 *
 * @example
 * ```ts
 * const { model: grown } = await grow(model, residual({ hidden: 32 }), { after: 'hidden' });
 * ```
 * @throws GraftError `INVALID_OPTION` when an option is invalid (a non-positive width, an even kernel size, …).
 */
export function residual(options: ResidualOptions = {}): SurgeryStrategy<ResidualOptions> {
  const description = 'Zero-initialised residual branch y = x + f(x) (Dense, per-token Dense or Conv2D block) after a rank-2, rank-3 or rank-4 layer.';
  return plannedStrategy({ name: 'residual', description, options: OPTIONS, defaults: DEFAULTS, plan: planBranch, build: buildBranch }, options);
}
