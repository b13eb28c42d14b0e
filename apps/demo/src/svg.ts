/** One point of a {@link Series}. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly label?: string;
}

/** One line of a {@link lineChart}. */
export interface Series {
  readonly name: string;
  /** `label` names the point in its tooltip (default: the x axis label and x). */
  readonly points: readonly ChartPoint[];
  /** Any CSS colour. */
  readonly color: string;
  readonly dashed?: boolean;
}

/** A vertical guide line with a label, e.g. where the model was grown. */
export interface Marker {
  readonly x: number;
  readonly label: string;
}

/** What {@link lineChart} draws. */
export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly markers?: readonly Marker[];
  /** Digits after the decimal point of y tick labels and tooltips. Default: enough for the tick step. */
  readonly yDigits?: number;
  readonly width?: number;
  readonly height?: number;
}

// The right margin holds the legend: room for a name like "dense-identity from scratch".
const MARGIN = { top: 32, right: 220, bottom: 44, left: 64 };

/**
 * An SVG line chart to inline in HTML (no scripts, fonts, namespaces or external references): axes with round
 * ticks, one line per series with a dot and a tooltip per point, a legend, and optional vertical markers.
 * Non-finite points are left out and break the line.
 */
export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 780;
  const height = options.height ?? 320;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const finite = options.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  const parts: string[] = [
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${plot.left}" y="18" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`,
  ];
  if (finite.length === 0) {
    parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" fill="#666">no data</text>`, '</svg>');
    return parts.join('\n');
  }
  const markerXs = (options.markers ?? []).map((m) => m.x).filter(Number.isFinite);
  const xTicks = integerOrNiceTicks(Math.min(...finite.map((p) => p.x), ...markerXs), Math.max(...finite.map((p) => p.x), ...markerXs));
  const yTicks = niceTicks(Math.min(...finite.map((p) => p.y)), Math.max(...finite.map((p) => p.y)));
  const yDigits = options.yDigits ?? decimalsOf(yTicks);
  const [x0, x1] = [xTicks[0] as number, xTicks.at(-1) as number];
  const [y0, y1] = [yTicks[0] as number, yTicks.at(-1) as number];
  const sx = (x: number): number => round(plot.left + ((x - x0) / (x1 - x0 || 1)) * (plot.right - plot.left));
  const sy = (y: number): number => round(plot.bottom - ((y - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top));

  for (const tick of yTicks) {
    parts.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${sy(tick)}" y2="${sy(tick)}" stroke="#e5e5e5"/>`,
      `<text x="${plot.left - 6}" y="${sy(tick) + 4}" text-anchor="end" fill="#444">${tick.toFixed(yDigits)}</text>`,
    );
  }
  for (const tick of xTicks) {
    parts.push(`<text x="${sx(tick)}" y="${plot.bottom + 16}" text-anchor="middle" fill="#444">${formatTick(tick)}</text>`);
  }
  parts.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#888"/>`,
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#888"/>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${height - 8}" text-anchor="middle" fill="#222">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(options.yLabel)}</text>`,
  );
  for (const marker of options.markers ?? []) {
    if (!Number.isFinite(marker.x)) continue;
    parts.push(
      `<line x1="${sx(marker.x)}" x2="${sx(marker.x)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#999" stroke-dasharray="2 3"/>`,
      `<text x="${sx(marker.x) + 4}" y="${plot.top + 10}" fill="#666" font-size="11">${escapeXml(marker.label)}</text>`,
    );
  }
  options.series.forEach((series, index) => {
    const dash = series.dashed === true ? ' stroke-dasharray="6 4"' : '';
    for (const run of finiteRuns(series.points)) {
      const d = run.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x)} ${sy(p.y)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(series.color)}" stroke-width="2"${dash}/>`);
      for (const p of run) {
        const tip = `${series.name}: ${p.label ?? `${options.xLabel} ${formatTick(p.x)}`}, ${p.y.toFixed(Math.max(yDigits, 2))}`;
        parts.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${escapeXml(series.color)}"><title>${escapeXml(tip)}</title></circle>`);
      }
    }
    const ly = plot.top + 8 + index * 18;
    parts.push(
      `<line x1="${plot.right + 16}" x2="${plot.right + 40}" y1="${ly}" y2="${ly}" stroke="${escapeXml(series.color)}" stroke-width="2"${dash}/>`,
      `<text x="${plot.right + 46}" y="${ly + 4}" fill="#222">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * About `count` evenly spaced round values (steps of 1, 2, 2.5 or 5 times a power of ten) that cover
 * `min..max`, first ≤ min and last ≥ max. A flat range is widened so the line sits mid-chart.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.01;
    [min, max] = [min - pad, max + pad];
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((f) => f * power >= raw) ?? 10) * power;
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let value = first; value < max + step * (1 - 1e-9); value += step) ticks.push(round(value, 12));
  if (ticks.length < 2) ticks.push(round(first + step, 12));
  return ticks;
}

/** Escapes text for SVG and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Epochs are whole numbers: tick every integer while that stays readable, else round ticks. */
function integerOrNiceTicks(min: number, max: number): number[] {
  const from = Math.floor(min);
  const to = Math.max(Math.ceil(max), from + 1);
  if (to - from <= 12) return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return niceTicks(min, max, 8);
}

/** Consecutive finite points; a non-finite one ends a run. */
function finiteRuns(points: Series['points']): ChartPoint[][] {
  const runs: ChartPoint[][] = [[]];
  for (const p of points) {
    if (Number.isFinite(p.x) && Number.isFinite(p.y)) runs.at(-1)?.push(p);
    else runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

function decimalsOf(ticks: readonly number[]): number {
  const step = ticks.length > 1 ? Math.abs((ticks[1] as number) - (ticks[0] as number)) : 1;
  return Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) + 1e-9) + (String(step).includes('25') ? 1 : 0)));
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : String(round(value, 6));
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The colours of plotted series, in order. */
export const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/**
 * The start of a report page, up to and including its `<h1>`: the head with the reports' shared inline CSS
 * (`extraCss` rules go after it) and the title.
 */
export function htmlPageStart(title: string, extraCss: readonly string[] = []): string {
  const css = [
    'body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #222; }',
    'table { border-collapse: collapse; margin: 0.5rem 0 1rem; }',
    'th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; }',
    'td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }',
    '.alert { background: #fde8e8; border: 2px solid #c0392b; padding: 0.75rem; font-weight: 600; }',
    '.ok { color: #1e7b34; }',
    '.meta { color: #555; }',
    ...extraCss,
    'svg { max-width: 100%; height: auto; }',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
${css.join('\n')}
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>`;
}
