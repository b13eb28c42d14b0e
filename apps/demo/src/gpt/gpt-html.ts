import { escapeXml, htmlPageStart, lineChart, SERIES_COLORS as COLORS, type Series } from '../svg.js';
import type { GptDemoReport, GptExperimentReport } from './gpt-report.js';
import { flopsUnit, formatFlops, gptPreservationSentence, gptStageRows, headlineSentence } from './gpt-text.js';

/**
 * The GPT experiment's `report.html`: self-contained (inline CSS and SVG, no scripts, no external references), with
 * the headline numbers, one loss-vs-FLOPs plot per strategy (every seed), each experiment's table and the text the
 * models generated from one prompt.
 */
export function renderGptHtml(report: GptDemoReport): string {
  const title = 'graft demo: growing a character-level GPT on the Brown corpus';
  const s = report.settings;
  const settings = [
    `seeds ${s.seeds.join(', ')}`,
    `base ${s.baseSteps} steps, grown ${s.grownSteps} steps, batch ${s.batchSize}, Adam ${s.learningRate}`,
    `test loss on ${s.testWindows} windows every ${s.evalEvery} steps`,
    `${s.vocabularySize} character ids`,
    ...(s.quick ? ['quick run'] : []),
  ];
  const strategies = [...new Set(report.experiments.map((e) => e.strategy))];
  const broken = report.experiments.filter((e) => !e.preserved);
  return `${htmlPageStart(title, ['pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }'])}
<p class="meta">${escapeXml(report.backendDescription)}<br>${settings.map(escapeXml).join(' · ')}<br>FLOPs ${escapeXml(s.flopsRule)}<br>Finished ${escapeXml(report.createdAt)} after ${Math.round(report.seconds)} s</p>
${broken.length === 0 ? '' : `<p class="alert">${broken.map((e) => escapeXml(gptPreservationSentence(e))).join('<br>')}</p>\n`}<h2>Grown vs from scratch at equal training FLOPs</h2>
<p>${report.summary.map((x) => escapeXml(headlineSentence(x))).join('<br>')}</p>
<h2>Test loss against cumulative training FLOPs</h2>
${strategies.map((strategy) => lossChart(report.experiments.filter((e) => e.strategy === strategy), strategy)).join('\n')}
<h2>Generated text</h2>
<p class="meta">Prompt ${escapeXml(JSON.stringify(report.prompt))}, seeded sampling at temperature ${s.temperature}, the first seed's models.</p>
${report.samples.map((x) => `<h3>${escapeXml(x.model)}</h3>\n<pre>${escapeXml(x.text)}</pre>`).join('\n')}
${report.experiments.map(experimentSection).join('\n')}
</body>
</html>
`;
}

/** A strategy's runs on one FLOPs axis: per seed, base → grown (solid, through the grown model before training) and scratch (dashed). */
export function lossChart(experiments: readonly GptExperimentReport[], strategy: string): string {
  const maxFlops = Math.max(...experiments.flatMap((e) => [...e.grown, ...e.scratch].map((p) => p.flops)));
  const [unit, prefix] = flopsUnit(maxFlops);
  const series: Series[] = experiments.flatMap((e, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const baseEnd = e.base.at(-1);
    const at = (stage: string) => (p: { step: number; testLoss: number; flops: number }) => ({ x: p.flops / unit, y: p.testLoss, label: `${stage} step ${p.step}, ${formatFlops(p.flops)}` });
    return [
      {
        name: `seed ${e.seed}: base → grown`,
        color,
        points: [
          ...e.base.map(at('base')),
          ...(baseEnd === undefined ? [] : [{ x: baseEnd.flops / unit, y: e.grownBeforeTraining.testLoss, label: 'grown before training' }]),
          ...e.grown.map(at('grown')),
        ],
      },
      { name: `seed ${e.seed}: from scratch`, color, dashed: true, points: e.scratch.map(at('scratch')) },
    ];
  });
  const grownAt = experiments[0]?.base.at(-1)?.flops;
  return lineChart({
    title: `${strategy}: test loss (nats per character)`,
    xLabel: `training ${prefix}FLOP`,
    yLabel: 'test loss',
    series,
    ...(grownAt === undefined ? {} : { markers: [{ x: grownAt / unit, label: 'grown' }] }),
  });
}

function experimentSection(e: GptExperimentReport): string {
  const rows = gptStageRows(e)
    .map((r) => `<tr><td>${escapeXml(r.stage)}</td><td class="num">${r.step}</td><td class="num">${r.testLoss.toFixed(4)}</td><td class="num">${escapeXml(formatFlops(r.flops))}</td></tr>`)
    .join('\n');
  const a = e.architecture;
  return `<h2>${escapeXml(e.strategy)}, seed ${e.seed}</h2>
<p class="meta">${escapeXml(e.growth)}. Base: ${a.base.blocks} blocks × width ${a.base.dModel}, ${a.base.heads} heads, ${a.base.parameters.toLocaleString('en-US')} parameters, ${escapeXml(formatFlops(e.flopsPerStep.base))} per step. Grown: ${a.grown.blocks} blocks × width ${a.grown.dModel}, ${a.grown.heads} heads, ${a.grown.parameters.toLocaleString('en-US')} parameters, ${escapeXml(formatFlops(e.flopsPerStep.grown))} per step.</p>
<table>
<thead><tr><th>stage</th><th class="num">step</th><th class="num">test loss</th><th class="num">training FLOPs</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="${e.preserved ? 'ok' : 'alert'}">${escapeXml(gptPreservationSentence(e))}</p>`;
}
