import type uPlot from 'uplot';
import type { RemainingLifeView, TrendFitView } from '../../../shared/healthContract';
import type { Limit } from '../../../shared/twin';

/** Wheel over the plot zooms the time axis around the cursor; shift-drag or middle-drag pans it. */
export function wheelZoomPlugin(onWindow: (fromMs: number, toMs: number) => void): uPlot.Plugin {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Scales move at once for feedback; the engine is asked once the gesture settles.
  const settle = (u: uPlot) => {
    clearTimeout(timer);
    timer = setTimeout(() => onWindow(u.scales.x.min! * 1000, u.scales.x.max! * 1000), 250);
  };
  return {
    hooks: {
      ready: (u) => {
        const over = u.over;
        over.addEventListener(
          'wheel',
          (e) => {
            e.preventDefault();
            const { min, max } = u.scales.x;
            if (min === undefined || max === undefined) return;
            const at = u.posToVal(e.offsetX, 'x');
            const factor = e.deltaY < 0 ? 0.75 : 1 / 0.75;
            u.setScale('x', { min: at - (at - min) * factor, max: at + (max - at) * factor });
            settle(u);
          },
          { passive: false },
        );
        over.addEventListener('mousedown', (e) => {
          if (!(e.shiftKey || e.button === 1)) return;
          e.preventDefault();
          e.stopPropagation();
          const startX = e.clientX;
          const { min, max } = u.scales.x;
          if (min === undefined || max === undefined) return;
          const perPx = (max - min) / u.bbox.width * devicePixelRatio;
          const move = (ev: MouseEvent) => {
            const shift = (ev.clientX - startX) * perPx;
            u.setScale('x', { min: min - shift, max: max - shift });
          };
          const up = () => {
            window.removeEventListener('mousemove', move);
            window.removeEventListener('mouseup', up);
            settle(u);
          };
          window.addEventListener('mousemove', move);
          window.addEventListener('mouseup', up);
        }, true);
      },
      destroy: () => clearTimeout(timer),
    },
  };
}

/** Dashed horizontal lines at the twin's warning and alarm limits for this reading. */
export function limitLinesPlugin(limit: Limit, warnColour: string, alarmColour: string): uPlot.Plugin {
  const lines = [
    { v: limit.warnAbove, c: warnColour },
    { v: limit.alarmAbove, c: alarmColour },
    { v: limit.warnBelow, c: warnColour },
    { v: limit.alarmBelow, c: alarmColour },
  ].filter((l): l is { v: number; c: string } => l.v !== null);
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = devicePixelRatio;
        for (const l of lines) {
          const y = Math.round(u.valToPos(l.v, 'y', true));
          if (y < bbox.top || y > bbox.top + bbox.height) continue;
          ctx.strokeStyle = l.c;
          ctx.beginPath();
          ctx.moveTo(bbox.left, y);
          ctx.lineTo(bbox.left + bbox.width, y);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

export interface ProjectionDrawing {
  status: RemainingLifeView['status'];
  fit: TrendFitView | null;
  crossingAt: number | null;
  earliest: number | null;
  latest: number | null;
  limit: number;
  text: string;
}

const HOUR = 3_600_000;
const BAND_STEPS = 48;

/**
 * The remaining-life projection: the fitted trend over the span it was fitted on, the limit, and ahead of now
 * the interval as a band (the fit's slope ± 2 standard errors, up to the limit) around the dashed central
 * projection; with no date, the fitted line alone and the reason in the corner. What it drew is left on the
 * chart's root (data-projection-drawn) for tests and screen readers.
 */
export function projectionPlugin(p: ProjectionDrawing, colours: { line: string; limit: string }): uPlot.Plugin {
  const curve = (slopePerH: number) => (t: number) => p.fit!.level * Math.exp((slopePerH * (t - p.fit!.to)) / HOUR);
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        const x = (t: number) => u.valToPos(t / 1000, 'x', true);
        const y = (v: number) => u.valToPos(v, 'y', true);
        const drawn: string[] = [];
        ctx.save();
        ctx.beginPath();
        ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
        ctx.clip();
        ctx.lineWidth = 1.5 * devicePixelRatio;
        if (p.status !== 'learning' && p.limit >= u.scales.y.min! && p.limit <= u.scales.y.max!) {
          ctx.strokeStyle = colours.limit;
          ctx.setLineDash([2, 3]);
          ctx.beginPath();
          ctx.moveTo(bbox.left, y(p.limit));
          ctx.lineTo(bbox.left + bbox.width, y(p.limit));
          ctx.stroke();
          drawn.push('limit');
        }
        const fit = p.fit;
        if (fit) {
          const f = curve(fit.slopePerH);
          ctx.strokeStyle = colours.line;
          ctx.setLineDash([]);
          ctx.beginPath();
          ctx.moveTo(x(fit.from), y(f(fit.from)));
          ctx.lineTo(x(fit.to), y(f(fit.to)));
          ctx.stroke();
          drawn.push('trend');
        }
        if (p.status === 'estimate' && fit && p.crossingAt !== null && p.latest !== null) {
          const fast = curve(fit.slopePerH + 2 * fit.slopeSePerH);
          const slow = curve(Math.max(0, fit.slopePerH - 2 * fit.slopeSePerH));
          const central = curve(fit.slopePerH);
          const steps = (end: number) => Array.from({ length: BAND_STEPS + 1 }, (_, i) => fit.to + ((end - fit.to) * i) / BAND_STEPS);
          const ts = steps(p.latest);
          ctx.fillStyle = colours.line;
          ctx.globalAlpha = 0.25;
          ctx.beginPath();
          ts.forEach((t, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(t), y(Math.min(p.limit, fast(t)))));
          for (const t of [...ts].reverse()) ctx.lineTo(x(t), y(Math.min(p.limit, slow(t))));
          ctx.closePath();
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.strokeStyle = colours.line;
          ctx.setLineDash([8, 5]);
          ctx.beginPath();
          steps(p.crossingAt).forEach((t, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(t), y(central(t))));
          ctx.stroke();
          if (x(fit.to) < bbox.left + bbox.width) drawn.push('band');
        }
        ctx.setLineDash([]);
        ctx.fillStyle = colours.line;
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        // uPlot leaves the last axis' alignment (right) on the context: the text would end where it should start.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        ctx.fillText(p.text.length > 110 ? `${p.text.slice(0, 107)}…` : p.text, bbox.left + 6 * devicePixelRatio, bbox.top + 14 * devicePixelRatio);
        ctx.restore();
        u.root.dataset.projectionDrawn = drawn.join(' ') || 'none';
      },
    },
  };
}
