import { messageOf } from './model-tensors.js';
import { buildSuite, type ConformanceOptions, type SuiteGroup } from './suite.js';

/** One test of a {@link runStrategyConformance} run. */
export interface ConformanceTestResult {
  /** Block names and the test name, e.g. `['cpu', 'dense-chain-relu', 'after dense_1', 'preserves predictions on random inputs']`. */
  readonly path: readonly string[];
  readonly ok: boolean;
  /** Why it failed. */
  readonly error?: string;
  /** How long the test took, in ms (set-up not included). */
  readonly durationMs?: number;
}

/** What {@link runStrategyConformance} found. */
export interface ConformanceReport {
  /** Every test passed. */
  readonly ok: boolean;
  readonly title: string;
  readonly results: readonly ConformanceTestResult[];
}

/**
 * Runs the same tests as `describeStrategyConformance`, outside any test runner, and reports each one: for tools
 * (and for tests asserting that a known-bad strategy fails). Tests run in order; a failing set-up fails the tests of
 * its block.
 *
 * @throws GraftError `INVALID_ARGUMENT` for sites not stated, an unknown fixture name or a stated layer the fixture lacks; `BACKEND_UNAVAILABLE` for a requested
 * backend that is not available.
 */
export async function runStrategyConformance(strategy: unknown, options: ConformanceOptions): Promise<ConformanceReport> {
  const suite = await buildSuite(strategy, options);
  const results: ConformanceTestResult[] = [];
  await runGroup(suite, [], results);
  return { ok: results.every((r) => r.ok), title: suite.name, results };
}

async function runGroup(group: SuiteGroup, path: readonly string[], results: ConformanceTestResult[]): Promise<void> {
  let setupError: string | undefined;
  try {
    await group.before?.();
  } catch (error) {
    setupError = `set-up of "${group.name}" failed: ${messageOf(error)}`;
  }
  for (const child of group.children) {
    if (child.kind === 'group') {
      if (setupError === undefined) await runGroup(child, [...path, child.name], results);
      else failAll(child, [...path, child.name], setupError, results);
      continue;
    }
    if (setupError !== undefined) {
      results.push({ path: [...path, child.name], ok: false, error: setupError });
      continue;
    }
    const started = performance.now();
    try {
      await child.run();
      results.push({ path: [...path, child.name], ok: true, durationMs: performance.now() - started });
    } catch (error) {
      results.push({ path: [...path, child.name], ok: false, error: messageOf(error), durationMs: performance.now() - started });
    }
  }
  try {
    await group.after?.();
  } catch (error) {
    results.push({ path: [...path, '(tear-down)'], ok: false, error: messageOf(error) });
  }
}

function failAll(group: SuiteGroup, path: readonly string[], error: string, results: ConformanceTestResult[]): void {
  for (const child of group.children) {
    if (child.kind === 'group') failAll(child, [...path, child.name], error, results);
    else results.push({ path: [...path, child.name], ok: false, error });
  }
}
