import { join } from 'node:path';
import { isGraftError } from '@graft/core';
import { describeBackend, useBestBackend } from '@graft/engine';
import { runDataset, type RunLog } from './experiment.js';
import { runGptDemo } from './gpt/gpt-demo.js';
import { renderHtml } from './html.js';
import { parseOptions, USAGE, type DemoOptions } from './options.js';
import { assertOutputFree, reportJson, writeFilesAtomically, type DemoReport } from './report.js';
import { verdictSentence } from './stages.js';
import { experimentTable } from './table.js';

/** Where the demo writes: results to `out`, diagnostics to `err`. */
export interface DemoIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

// Bad options, and a report folder that is taken, are the user's to fix: exit 2 like the CLI. Anything else is 1.
const USAGE_CODES = new Set(['INVALID_ARGUMENT', 'INVALID_OPTION', 'OUTPUT_EXISTS']);

/**
 * Runs the demo with command-line `args` and returns the exit code: 0 on success, 2 for bad options or an occupied
 * `--out`, 1 for any other failure. Failures are one line on `err` (with the stack under `--debug`).
 */
export async function runDemo(args: readonly string[], io: DemoIo): Promise<number> {
  const started = performance.now();
  let options: DemoOptions | undefined;
  try {
    options = parseOptions(args, io.cwd);
    if (options.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    await assertOutputFree(options.out);
    const resolution = await useBestBackend(options.backend);
    const backend = { name: resolution.name, description: describeBackend(resolution) };
    io.out(`${backend.description}\n`);
    if (options.experiment === 'gpt') {
      const { broken } = await runGptDemo(options, backend, io.out);
      if (broken.length > 0) io.err(`WARNING: growing did NOT preserve the model for ${broken.join(', ')}; see the tables above.\n`);
      io.out(`Done in ${duration((performance.now() - started) / 1000)}.\n`);
      return 0;
    }
    const log: RunLog = (line) => io.out(`${line}\n`);
    const several = options.datasets.length > 1;
    const reports: DemoReport[] = [];
    for (const dataset of options.datasets) {
      const report = await runDataset(dataset, options, backend, log);
      reports.push(report);
      const dir = several ? join(options.out, dataset) : options.out;
      await writeFilesAtomically(dir, { 'report.json': reportJson(report), 'report.html': renderHtml(report) });
      io.out(`\n${report.experiments.map((e) => experimentTable(report, e)).join('\n\n')}\n`);
      io.out(`\nReport: ${join(dir, 'report.html')} (data: report.json)\n`);
    }
    const verdicts = reports.flatMap((r) => r.experiments.flatMap((e) => verdictSentence(e, r.dataset) ?? []));
    if (verdicts.length > 0) io.out(`\nGrowing vs training from scratch:\n${verdicts.map((v) => `  ${v}`).join('\n')}\n`);
    const broken = reports.flatMap((r) => r.experiments.filter((e) => !e.preserved).map((e) => `${e.strategy} on ${r.dataset}`));
    if (broken.length > 0) {
      io.err(`WARNING: growing did NOT preserve the model for ${broken.join(', ')}; see the tables above.\n`);
    }
    io.out(`Done in ${duration((performance.now() - started) / 1000)}.\n`);
    return 0;
  } catch (error) {
    const debug = options?.debug ?? args.includes('--debug');
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.err(`graft-demo: ${message}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) io.err(`${error.stack}\n`);
    return isGraftError(error) && USAGE_CODES.has(error.code) ? 2 : 1;
  }
}

/** `7m 05s`, `42s`. */
export function duration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes === 0 ? `${whole}s` : `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
}
