#!/usr/bin/env node
// `npm test`: every project's vitest suite through nx, then ONE closing line summed from vitest's JSON results.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closingLine, collect, exitCode } from './summarise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
const nx = path.join(root, 'node_modules', '.bin', 'nx');

// One project-graph read gives every project's folder and targets (one `nx show project` per project would start nx
// a dozen times).
const graphFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'graft-graph-')), 'graph.json');
const listed = spawnSync(nx, ['graph', `--file=${graphFile}`], { cwd: root, env, encoding: 'utf8' });
if (listed.status !== 0) {
  process.stderr.write(listed.stderr);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const projects = Object.entries(JSON.parse(readFileSync(graphFile, 'utf8')).graph.nodes)
  .filter(([, node]) => node.data.targets?.test !== undefined)
  .map(([name, node]) => ({ name, file: path.join(root, node.data.root, 'test-results.json') }));
rmSync(path.dirname(graphFile), { recursive: true, force: true });
for (const { file } of projects) rmSync(file, { force: true });

const extra = process.argv.slice(2);
const run = spawnSync(nx, ['run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', ...extra], { cwd: root, env, stdio: 'inherit' });
const totals = collect(projects);
if (run.status !== 0 && totals.failed === 0) {
  // A task failed without a failing test in any report (a build error, a crash, vitest finding no test files).
  totals.failed += 1;
  totals.problems.push('nx reported a failed task (see its output above) that no test report accounts for');
}
if (totals.problems.length > 0) console.log(`\nProblems:\n${totals.problems.map((p) => `  - ${p}`).join('\n')}`);
if (totals.passed === 0) console.log('No test ran: that is a failure.');
console.log(closingLine(totals));
process.exit(exitCode(totals, run.status ?? 1));
