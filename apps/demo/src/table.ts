import type { DemoReport, ExperimentReport } from './report.js';
import { preservationSentence, stageRows, verdictSentence, writeUpNote } from './stages.js';

/** Column alignment of {@link renderTable}. */
export type Align = 'left' | 'right';

/**
 * A plain-text table: a header, a rule, and one line per row, columns padded to their widest cell and separated
 * by two spaces. Trailing spaces are trimmed so the output pastes cleanly.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** The console table of one experiment, followed by the measured preservation and, if any, the verdict. */
export function experimentTable(report: DemoReport, experiment: ExperimentReport): string {
  const dataset = report.dataset;
  const rows = stageRows(experiment, dataset).map((row) => [
    row.stage,
    row.testLoss.toFixed(4),
    row.testAccuracy.toFixed(2),
    row.writeUp,
  ]);
  const title = `${experiment.strategy} after "${experiment.site}" on ${dataset}`;
  const verdict = verdictSentence(experiment, dataset);
  return [
    title,
    renderTable(['stage', 'test loss', 'test acc %', 'write-up'], rows, ['left', 'right', 'right', 'right']),
    preservationSentence(experiment),
    ...(verdict === undefined ? [] : [verdict]),
    ...writeUpNote(report),
  ].join('\n');
}
