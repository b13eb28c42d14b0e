import { buildSuite, type ConformanceOptions, type SuiteGroup, suiteTitle } from './suite.js';

type Vitest = typeof import('vitest');
// Loaded here rather than imported statically so that the checkers (used by the CLI) work without vitest installed.
const vitest: Vitest | undefined = await import('vitest').catch(() => undefined);

/**
 * Generates the conformance tests of `strategy` in the calling vitest file, like ESLint's `RuleTester.run`:
 *
 * ```ts
 * import { describeStrategyConformance } from '@graft/conformance';
 * import { denseIdentity } from './index.js';
 * describeStrategyConformance(denseIdentity(), {
 *   sites: {
 *     'mnist-reference': { offers: ['conv_input', 'hidden', 'output'], refuses: { conv: 'needs rank 2' } },
 *     'dense-chain-tanh': { offers: ['dense_1_input', 'dense_1', 'dense_3', 'dense_5'] },
 *   },
 * });
 * ```
 *
 * The call states, per fixture, exactly the sites the strategy offers and some layers it refuses (with words of the
 * reason), as RuleTester asks for valid and invalid cases: the run checks those fixtures and those sites, and fails
 * when the strategy offers fewer or more. Blocks are named `<strategy> conformance › <backend> › <fixture> › after
 * <layer> › <check>`. The strategy's shape is checked first; when it is not a strategy, that test fails and nothing
 * else is generated.
 *
 * @throws Error when vitest is not installed (it is a peer dependency).
 */
export function describeStrategyConformance(strategy: unknown, options: ConformanceOptions): void {
  if (vitest === undefined) throw new Error('describeStrategyConformance runs inside vitest; install vitest (a peer dependency of @graft/conformance).');
  const { describe } = vitest;
  describe(suiteTitle(strategy, options), async () => {
    register((await buildSuite(strategy, options)).children, vitest, options.timeout ?? 120_000);
  });
}

function register(children: SuiteGroup['children'], { describe, it, beforeAll, afterAll }: Vitest, timeout: number): void {
  for (const child of children) {
    if (child.kind === 'test') {
      it(child.name, () => child.run(), timeout);
      continue;
    }
    describe(child.name, () => {
      if (child.before !== undefined) beforeAll(child.before, timeout);
      if (child.after !== undefined) afterAll(child.after, timeout);
      register(child.children, { describe, it, beforeAll, afterAll } as Vitest, timeout);
    });
  }
}
