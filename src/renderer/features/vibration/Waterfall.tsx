import { useEffect, useRef } from 'react';
import type { WaveformAnalysis } from '../../../shared/healthContract';
import { useTheme } from '../../app/theme';
import { formatTime } from '../../ui/format';

const FLOOR_DB = -80;
const TOP_DB = -10;

/** Blue (quiet) through yellow to red (loud). */
function colour(db: number): string {
  const t = Math.max(0, Math.min(1, (db - FLOOR_DB) / (TOP_DB - FLOOR_DB)));
  const hue = 240 - 240 * t;
  return `hsl(${hue} 85% ${25 + 35 * t}%)`;
}

/** Spectra over time for one motor: oldest at the top, newest at the bottom, colour = level in dB re 1 g. */
export function Waterfall({ analyses }: { analyses: WaveformAnalysis[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useTheme();
  const rows = analyses.filter((a) => a.waterfall).sort((a, b) => a.ts - b.ts);
  const maxHz = rows[rows.length - 1]?.waterfall?.maxHz ?? 0;
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    if (!rows.length) return;
    const rowH = c.height / rows.length;
    rows.forEach((r, i) => {
      const db = r.waterfall!.db;
      const colW = c.width / db.length;
      db.forEach((v, j) => {
        ctx.fillStyle = colour(v);
        ctx.fillRect(j * colW, i * rowH, Math.ceil(colW), Math.ceil(rowH));
      });
    });
  }, [rows, theme]);
  return (
    <div data-testid="waterfall">
      <canvas ref={canvas} width={768} height={160} className="waterfall" aria-label="Waterfall of spectra over time" />
      <div className="muted small waterfall-axis">
        <span>0 Hz</span>
        <span>
          {rows.length} spectra{rows.length ? `, ${formatTime(rows[0].ts)} (top) to ${formatTime(rows[rows.length - 1].ts)} (bottom)` : ''}; colour {FLOOR_DB} to {TOP_DB} dB re 1 g
        </span>
        <span>{maxHz.toFixed(0)} Hz</span>
      </div>
    </div>
  );
}
