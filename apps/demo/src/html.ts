import type { DemoReport, EpochPoint, ExperimentReport } from './report.js';
import { preservationSentence, stageRows, verdictSentence, writeUpNote } from './stages.js';
import { escapeXml, htmlPageStart, lineChart, SERIES_COLORS as COLORS, type Series } from './svg.js';

type Metric = 'testAccuracy' | 'testLoss';

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no scripts, no external references) with the run's
 * settings, one table per experiment, the measured preservation, the from-scratch verdicts, and plots of test
 * accuracy and loss per epoch.
 */
export function renderHtml(report: DemoReport): string {
  const title = `graft demo: growing the reference model on ${report.dataset}`;
  const s = report.settings;
  const settings = [
    `${s.epochs} epoch${s.epochs === 1 ? '' : 's'} base + ${s.epochs} grown`,
    `batch ${s.batchSize}, ${s.optimizer}`,
    `seed ${s.seed}`,
    `${s.trainSamples.toLocaleString('en-US')} training / ${s.testSamples.toLocaleString('en-US')} test images`,
    ...(s.freeze ? ['new layers only for the first grown epoch'] : []),
    ...(s.quick ? ['quick run'] : []),
  ];
  const broken = report.experiments.filter((e) => !e.preserved);
  return `${htmlPageStart(title)}
<p class="meta">${escapeXml(report.backendDescription)}<br>${settings.map(escapeXml).join(' · ')}<br>Finished ${escapeXml(report.createdAt)}</p>
${broken.length === 0 ? '' : `<p class="alert">${broken.map((e) => escapeXml(preservationSentence(e))).join('<br>')}</p>\n`}${verdicts(report)}
<h2>Test accuracy and loss per epoch</h2>
${lineChart({ title: 'Test accuracy (%)', xLabel: 'epoch', yLabel: 'test accuracy %', series: chartSeries(report.experiments, 'testAccuracy'), markers: growMarker(report.experiments), yDigits: 2 })}
${lineChart({ title: 'Test loss', xLabel: 'epoch', yLabel: 'test loss', series: chartSeries(report.experiments, 'testLoss'), markers: growMarker(report.experiments) })}
${report.experiments.map((e) => experimentSection(report, e)).join('\n')}
${writeUpNote(report).map((note) => `<p class="meta">${escapeXml(note)}</p>`).join('\n')}
</body>
</html>
`;
}

/**
 * One line per experiment on a single epoch axis: the base epochs, the grown model before training (at the base's
 * last epoch), then the grown epochs; a dashed line per from-scratch run.
 */
export function chartSeries(experiments: readonly ExperimentReport[], metric: Metric): Series[] {
  const at = (offset: number, stage: string) => (p: EpochPoint) => ({ x: offset + p.epoch, y: p[metric], label: `${stage} epoch ${p.epoch}` });
  return experiments.flatMap((e, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const grownAt = e.base.length;
    const line: Series = {
      name: `base → ${e.strategy}`,
      color,
      points: [
        ...e.base.map(at(0, 'base')),
        { x: grownAt, y: e.grownBeforeTraining[metric], label: 'grown before training' },
        ...e.grown.map(at(grownAt, 'grown')),
      ],
    };
    const scratch: Series[] =
      e.scratch === undefined ? [] : [{ name: `${e.strategy} from scratch`, color, dashed: true, points: e.scratch.map(at(0, 'scratch')) }];
    return [line, ...scratch];
  });
}

function growMarker(experiments: readonly ExperimentReport[]): { x: number; label: string }[] {
  const first = experiments[0];
  return first === undefined ? [] : [{ x: first.base.length, label: 'grown' }];
}

function verdicts(report: DemoReport): string {
  const sentences = report.experiments.flatMap((e) => verdictSentence(e, report.dataset) ?? []);
  if (sentences.length === 0) return '';
  return `<h2>Growing vs training from scratch</h2>\n<p>${sentences.map(escapeXml).join('<br>')}</p>\n`;
}

function experimentSection(report: DemoReport, experiment: ExperimentReport): string {
  const rows = stageRows(experiment, report.dataset)
    .map(
      (row) =>
        `<tr><td>${escapeXml(row.stage)}</td><td class="num">${row.testLoss.toFixed(4)}</td><td class="num">${row.testAccuracy.toFixed(2)}</td><td class="num">${escapeXml(row.writeUp)}</td></tr>`,
    )
    .join('\n');
  const preserved = preservationSentence(experiment);
  return `<h2>${escapeXml(experiment.strategy)} after “${escapeXml(experiment.site)}”</h2>
<p class="meta">Added layers: ${escapeXml(experiment.added.join(', '))}</p>
<table>
<thead><tr><th>stage</th><th class="num">test loss</th><th class="num">test acc %</th><th class="num">write-up</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="${experiment.preserved ? 'ok' : 'alert'}">${escapeXml(preserved)}</p>`;
}
