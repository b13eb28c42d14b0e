import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingLine, collect, countReport, exitCode } from './summarise.mjs';

const report = (passed, failed, skipped = 0, files = []) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: skipped,
  numTodoTests: 0,
  testResults: files,
});

function write(dir, name, value) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return { name, file };
}

describe('test summariser', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graft-summary-'));

  it('sums projects into one closing line', () => {
    const totals = collect([write(dir, 'a', report(3, 0)), write(dir, 'b', report(4, 1, 2))]);
    expect(closingLine(totals)).toBe('7 passed, 1 failed, 2 skipped');
    expect(exitCode(totals, 0)).toBe(1);
  });

  it('passes only when something ran and nothing failed', () => {
    expect(exitCode({ passed: 5, failed: 0 }, 0)).toBe(0);
    expect(exitCode({ passed: 0, failed: 0 }, 0)).toBe(1);
    expect(exitCode({ passed: 5, failed: 0 }, 1)).toBe(1);
    expect(closingLine({ passed: 5, failed: 0, skipped: 0 })).toBe('5 passed, 0 failed');
  });

  it('counts a missing or unreadable results file as a failure', () => {
    const totals = collect([{ name: 'gone', file: path.join(dir, 'missing.json') }, write(dir, 'junk', '{not json')]);
    expect(totals.failed).toBe(2);
    expect(totals.problems.join('\n')).toMatch(/gone: no test results[\s\S]*junk: unreadable/);
  });

  it('counts a test file that failed to load as a failure', () => {
    const counts = countReport(report(0, 0, 0, [{ status: 'failed', assertionResults: [] }]));
    expect(counts.failed).toBe(1);
  });

  it('rejects something that is not a vitest report', () => {
    expect(() => countReport({ hello: 1 })).toThrowError(/not a vitest JSON report/);
  });
});
