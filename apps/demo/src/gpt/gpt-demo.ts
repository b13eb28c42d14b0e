import { join } from 'node:path';
import type { DemoOptions } from '../options.js';
import { reportJson, writeFilesAtomically } from '../report.js';
import { FULL_SCALE, QUICK_SCALE, runGptExperiments, type GrowthPlan } from './gpt-experiment.js';
import { renderGptHtml } from './gpt-html.js';
import { gptPlans } from './gpt-plans.js';
import type { GptDemoReport } from './gpt-report.js';
import { gptPreservationSentence, gptSummaryLines, gptTable } from './gpt-text.js';

/**
 * `npm start -- --experiment gpt`: runs the GPT experiments, prints a table per experiment and the headline
 * numbers, and writes `report.json` and `report.html` to `options.out`.
 *
 * @returns the report, and the experiments whose growth did not preserve the function.
 */
export async function runGptDemo(
  options: DemoOptions,
  backend: { readonly name: string; readonly description: string },
  out: (text: string) => void,
  plans: readonly GrowthPlan[] = gptPlans(),
): Promise<{ report: GptDemoReport; broken: string[] }> {
  const seeds = Array.from({ length: options.seeds }, (_, i) => options.seed + i);
  const report = await runGptExperiments(
    { quick: options.quick, seeds, scale: options.quick ? QUICK_SCALE : FULL_SCALE },
    backend,
    plans,
    { log: (line) => out(`${line}\n`) },
  );
  await writeFilesAtomically(options.out, { 'report.json': reportJson(report), 'report.html': renderGptHtml(report) });
  out(`\n${report.experiments.map((e) => `${gptTable(e)}\n${gptPreservationSentence(e)}`).join('\n\n')}\n`);
  out(`\nGrowing vs training from scratch at equal training FLOPs:\n${gptSummaryLines(report).map((line) => `  ${line}`).join('\n')}\n`);
  out(`\nReport: ${join(options.out, 'report.html')} (data: report.json)\n`);
  return { report, broken: report.experiments.filter((e) => !e.preserved).map((e) => `${e.strategy} (seed ${e.seed})`) };
}
