// Small inline-SVG plots for reports: no scripts, no network, prints the same in any browser or PDF.

export interface Series {
  label: string;
  color: string;
  points: Array<{ x: number; y: number }>;
}

export interface PlotOptions {
  width?: number;
  height?: number;
  xLabel: string;
  yLabel: string;
  /** Horizontal lines (limits) and vertical lines (markers, step boundaries). */
  hLines?: Array<{ y: number; label: string; color: string }>;
  vLines?: Array<{ x: number; label: string; color: string }>;
  testId?: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const tick = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));

export function svgPlot(series: Series[], o: PlotOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 220;
  const m = { l: 52, r: 12, t: 16, b: 34 };
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const ys = [...all.map((p) => p.y), ...(o.hLines ?? []).map((h) => h.y)];
  const xs = [...all.map((p) => p.x), ...(o.vLines ?? []).map((v) => v.x)];
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs, x0 + 1e-9) : 1;
  let y0 = ys.length ? Math.min(...ys) : 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.08;
  y0 -= pad;
  y1 += pad;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    const x = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/><text x="${m.l - 4}" y="${sy(y) + 4}" text-anchor="end">${tick(y)}</text>`);
    parts.push(`<text x="${sx(x)}" y="${H - m.b + 14}" text-anchor="middle">${tick(x)}</text>`);
  }
  for (const v of o.vLines ?? []) parts.push(`<line x1="${sx(v.x)}" x2="${sx(v.x)}" y1="${m.t}" y2="${H - m.b}" stroke="${v.color}" stroke-dasharray="3 3"/><text x="${sx(v.x) + 2}" y="${m.t + 9}" fill="${v.color}">${esc(v.label)}</text>`);
  for (const h of o.hLines ?? []) parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(h.y)}" y2="${sy(h.y)}" stroke="${h.color}" stroke-dasharray="6 3"/><text x="${W - m.r - 2}" y="${sy(h.y) - 3}" text-anchor="end" fill="${h.color}">${esc(h.label)}</text>`);
  for (const s of series) {
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (pts.length) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.4" points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`);
  }
  const legend = series.map((s, i) => `<text x="${m.l + 8 + i * 150}" y="${m.t - 4}" fill="${s.color}">${esc(s.label)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="10" font-family="sans-serif"${o.testId ? ` data-testid="${o.testId}"` : ''}>${parts.join('')}${legend}<text x="${W / 2}" y="${H - 4}" text-anchor="middle">${esc(o.xLabel)}</text><text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(o.yLabel)}</text></svg>`;
}

export { esc };
