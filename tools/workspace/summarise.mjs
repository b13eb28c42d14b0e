// Sums vitest JSON results (one file per project) into the workspace's closing line.
import { existsSync, readFileSync } from 'node:fs';

/**
 * Counts of one project's vitest JSON report.
 * @param {unknown} report parsed `--reporter=json` output
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function countReport(report) {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.testResults)) {
    throw new Error('not a vitest JSON report: expected an object with a "testResults" array');
  }
  const num = (key) => (Number.isFinite(report[key]) ? report[key] : 0);
  // Suites that failed to load (syntax errors, import failures) count as failures even though no test ran.
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
  return {
    passed: num('numPassedTests'),
    failed: num('numFailedTests') + brokenFiles,
    skipped: num('numPendingTests') + num('numTodoTests'),
  };
}

/**
 * Reads each project's results file; a project that should have run tests but left no file counts as one failure.
 * @param {{ name: string, file: string }[]} projects
 */
export function collect(projects) {
  /** @type {{ passed: number, failed: number, skipped: number, problems: string[] }} */
  const totals = { passed: 0, failed: 0, skipped: 0, problems: [] };
  for (const { name, file } of projects) {
    if (!existsSync(file)) {
      totals.failed += 1;
      totals.problems.push(`${name}: no test results (${file} missing)`);
      continue;
    }
    try {
      const counts = countReport(JSON.parse(readFileSync(file, 'utf8')));
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      if (counts.failed > 0) totals.problems.push(`${name}: ${counts.failed} failed`);
    } catch (error) {
      totals.failed += 1;
      totals.problems.push(`${name}: unreadable results in ${file} (${error.message})`);
    }
  }
  return totals;
}

/** The closing line CI reads: `N passed, N failed` plus `, N skipped` when any were skipped. */
export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/** Exit status: non-zero when the runner failed, any test failed, or nothing ran. */
export function exitCode({ passed, failed }, runnerStatus) {
  return runnerStatus !== 0 || failed > 0 || passed === 0 ? 1 : 0;
}
