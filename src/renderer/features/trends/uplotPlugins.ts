import type uPlot from 'uplot';
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

/**
 * The remaining-life projection: a dashed line from the fitted level now to where the trend crosses the limit,
 * and its text in the corner ("not enough data" when the trend does not support an estimate).
 */
export function projectionPlugin(p: { status: string; from: { t: number; value: number } | null; crossingAt: number | null; limit: number; text: string }, colour: string): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.beginPath();
        ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
        ctx.clip();
        ctx.strokeStyle = colour;
        ctx.fillStyle = colour;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        if (p.status === 'estimate' && p.from && p.crossingAt) {
          ctx.setLineDash([8, 5]);
          ctx.beginPath();
          ctx.moveTo(u.valToPos(p.from.t / 1000, 'x', true), u.valToPos(p.from.value, 'y', true));
          ctx.lineTo(u.valToPos(p.crossingAt / 1000, 'x', true), u.valToPos(p.limit, 'y', true));
          ctx.stroke();
        }
        ctx.setLineDash([]);
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.fillText(p.text.length > 110 ? `${p.text.slice(0, 107)}…` : p.text, bbox.left + 6 * devicePixelRatio, bbox.top + 14 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}
