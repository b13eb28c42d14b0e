// Strategies for the suite's own tests: one good, and known-bad ones that each check must catch.
import {
  GraftError,
  insertAfter,
  isNonNegativeOutput,
  isSingleOutputSite,
  type ModelGraph,
  type NewLayer,
  outputShapeOf,
  type SurgeryStrategy,
  type TensorRef,
  uniqueLayerName,
  weightValue,
} from '@graft/core';

const ref = (layer: string): TensorRef => ({ layer, node: 0, tensor: 0 });

// Narrow layers only: an n×n kernel after MNIST's 21,632-wide Flatten would take gigabytes.
function sitesOfRank(graph: ModelGraph, rank: number): string[] {
  return graph.nodes
    .filter((n) => n.className !== 'InputLayer' && isSingleOutputSite(graph, n.name))
    .filter((n) => outputShapeOf(graph, n.name).length === rank && units(graph, n.name) <= 64)
    .map((n) => n.name);
}

function units(graph: ModelGraph, after: string): number {
  const shape = outputShapeOf(graph, after);
  return shape[shape.length - 1] as number;
}

function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}

function identityKernel(n: number, scale = 1): Float32Array {
  const kernel = new Float32Array(n * n);
  for (let i = 0; i < n; i++) kernel[i * n + i] = scale;
  return kernel;
}

function dense(name: string, input: string, n: number, kernel: Float32Array, options: { bias?: Float32Array; activation?: string } = {}): NewLayer {
  const weights = [weightValue('kernel', [n, n], kernel)];
  if (options.bias !== undefined) weights.push(weightValue('bias', [n], options.bias));
  return { name, className: 'Dense', config: { units: n, activation: options.activation ?? 'linear', use_bias: options.bias !== undefined }, inbound: [[ref(input)]], weights };
}

/**
 * A strategy that inserts the layers `layersAfter` makes after the site and reports them as added. Its apply refuses
 * a site its findSites does not offer, unless `checksSite` is false (as two of the bad strategies leave it out).
 */
function insertingStrategy(
  about: Pick<SurgeryStrategy, 'name' | 'description' | 'findSites'>,
  layersAfter: (graph: ModelGraph, after: string) => NewLayer[],
  { checksSite = true }: { readonly checksSite?: boolean } = {},
): SurgeryStrategy {
  const strategy: SurgeryStrategy = {
    ...about,
    apply(graph, { after }) {
      if (checksSite && !strategy.findSites(graph).includes(after)) throw new GraftError('SITE_NOT_OFFERED', `${strategy.name} does not apply after "${after}".`);
      const layers = layersAfter(graph, after);
      return { graph: insertAfter(graph, after, layers), added: layers.map((layer) => layer.name) };
    },
  };
  return strategy;
}

/** Good: an identity Dense (linear, kernel I, bias 0) after any rank-2 layer. Exact everywhere it is offered. */
export function linearIdentity(): SurgeryStrategy {
  const about = { name: 'linear-identity', description: 'A linear identity Dense after rank-2 layers.', findSites: (graph: ModelGraph) => sitesOfRank(graph, 2) };
  return insertingStrategy(about, (graph, after) => {
    const n = units(graph, after);
    return [dense(uniqueLayerName(graph, `${after}_identity`), after, n, identityKernel(n), { bias: filled(n, 0) })];
  });
}

/**
 * Bad (check 1): the write-up's conv gate — g = Conv2D(C, 3, same, relu) with an all-ones kernel and zero bias, and
 * y = x ⊙ g(x). g(x) sums a 3×3×C neighbourhood, so y ≠ x.
 */
export function allOnesConvGate(): SurgeryStrategy {
  const about = { name: 'all-ones-conv-gate', description: 'The write-up conv gate with an all-ones kernel (not an identity).', findSites: (graph: ModelGraph) => sitesOfRank(graph, 4) };
  return insertingStrategy(about, (graph, after) => {
    const c = units(graph, after);
    const gate = uniqueLayerName(graph, `${after}_gate`);
    const multiply = uniqueLayerName(graph, `${after}_gated`, [gate]);
    return [
      { name: gate, className: 'Conv2D', config: { filters: c, kernel_size: [3, 3], padding: 'same', activation: 'relu', use_bias: true }, inbound: [[ref(after)]], weights: [weightValue('kernel', [3, 3, c, c], filled(9 * c * c, 1)), weightValue('bias', [c], filled(c, 0))] },
      { name: multiply, className: 'Multiply', config: {}, inbound: [[ref(after), ref(gate)]] },
    ];
  });
}

/**
 * A residual branch x + B(A(x)) after rank-2 layers, exact because B's kernel is zero. With `deadInput` A's kernel is
 * zero too, so nothing behind B can ever get a gradient (check 2 must fail); without it, A is random and learns at
 * step 2 (check 2 must pass). `outputBias` gives B a bias, which learns at once but does not save a dead branch.
 */
export function residualBranch(options: { deadInput: boolean; outputBias?: boolean }): SurgeryStrategy {
  const name = options.deadInput ? 'dead-residual' : 'zero-output-residual';
  const about = { name, description: 'A residual Dense branch whose output kernel is zero.', findSites: (graph: ModelGraph) => sitesOfRank(graph, 2) };
  return insertingStrategy(about, (graph, after) => {
    const n = units(graph, after);
    const [a, b, add] = ['in', 'out', 'add'].map((part) => uniqueLayerName(graph, `${after}_branch_${part}`)) as [string, string, string];
    let state = 7;
    const random = Float32Array.from({ length: n * n }, () => ((state = (state * 48271) % 2147483647) / 2147483647 - 0.5));
    return [
      dense(a, after, n, options.deadInput ? filled(n * n, 0) : random),
      dense(b, a, n, filled(n * n, 0), options.outputBias === true ? { bias: filled(n, 0) } : {}),
      { name: add, className: 'Add', config: {}, inbound: [[ref(after), ref(b)]] },
    ];
  });
}

/** Bad (check 1): offers every rank-2 layer, but inserts 2·I — a site offered where the answer is wrong. */
export function lyingScale(): SurgeryStrategy {
  const about = { name: 'lying-scale', description: 'Claims a doubling Dense is exact.', findSites: (graph: ModelGraph) => sitesOfRank(graph, 2) };
  return insertingStrategy(about, (graph, after) => {
    const n = units(graph, after);
    return [dense(uniqueLayerName(graph, `${after}_double`), after, n, identityKernel(n, 2), { bias: filled(n, 0) })];
  }, { checksSite: false });
}

/**
 * Bad (check 6): a relu identity Dense is exact after non-negative outputs only, and findSites says so; but apply
 * does not check, and called after a tanh layer it silently clips the negatives.
 */
export function uncheckedReluIdentity(): SurgeryStrategy {
  const about = {
    name: 'unchecked-relu-identity',
    description: 'A relu identity Dense whose apply does not check its site.',
    findSites: (graph: ModelGraph) => sitesOfRank(graph, 2).filter((name) => isNonNegativeOutput(graph, name)),
  };
  return insertingStrategy(about, (graph, after) => {
    const n = units(graph, after);
    return [dense(uniqueLayerName(graph, `${after}_relu_identity`), after, n, identityKernel(n), { bias: filled(n, 0), activation: 'relu' })];
  }, { checksSite: false });
}

/** Bad: offers nothing anywhere, so it checks nothing. */
export function doNothing(): SurgeryStrategy {
  return {
    name: 'do-nothing',
    description: 'Applies nowhere.',
    findSites: () => [],
    apply(_graph, { after }) {
      throw new GraftError('SITE_NOT_OFFERED', `do-nothing does not apply after "${after}".`);
    },
  };
}
