/**
 * An SVG line plot of `losses` (one point per step, thin) and their exponential moving average (factor 0.8, thick,
 * so the trend reads through batch noise), scaled to the range of the losses; empty axes before the first step.
 */
export function lossPlotSvg(losses: readonly number[], width = 360, height = 140): string {
  const pad = 28;
  const max = Math.max(...losses, 1e-6);
  const min = Math.min(...losses, max);
  const span = max - min || 1;
  const x = (i: number) => pad + (losses.length <= 1 ? 0 : (i / (losses.length - 1)) * (width - 2 * pad));
  const y = (v: number) => height - pad - ((v - min) / span) * (height - 2 * pad);
  const points = losses.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  let average = losses[0] ?? 0;
  const smoothed = losses.map((v) => (average = 0.8 * average + 0.2 * v));
  const trend = smoothed.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const label = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="training loss per step">`,
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>`,
    losses.length > 0 ? `<text x="2" y="${pad + 4}" font-size="10">${label(max)}</text><text x="2" y="${height - pad}" font-size="10">${label(min)}</text>` : '',
    `<text x="${width / 2}" y="${height - 6}" font-size="10" text-anchor="middle">step (${losses.length})</text>`,
    losses.length > 0 ? `<polyline class="loss" fill="none" stroke="#8cb4f5" stroke-width="1" points="${points}"/>` : '',
    losses.length > 1 ? `<polyline class="trend" fill="none" stroke="#0b4fb3" stroke-width="2.5" points="${trend}"/>` : '',
    '</svg>',
  ].join('');
}
