import { useEffect, useRef } from 'react';
import type { HeatScale } from './colormap';
import { legendGradient } from './colormap';
import { ASSUMED_AMBIENT_C } from './thermalField';
import { SHAKE_M_PER_MM_S, SHAKE_SHOWN_HZ, ZONE_COLORS, type Dominant, type ZoneReading } from './vibration';

/** The heat overlay's colour scale in °C, and what the field is drawn from. */
export function HeatLegend({ scale, ambientKnown }: { scale: HeatScale; ambientKnown: boolean }) {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // element.style, not a style attribute: the CSP allows the former only.
    if (bar.current) bar.current.style.background = legendGradient();
  }, []);
  const mid = Math.round((scale.min + scale.max) / 2);
  return (
    <div className="twin3d-legend" data-testid="heat-legend">
      <div className="small">Frame temperature, °C (estimated field from the sensors and a thermal model)</div>
      <div ref={bar} className="twin3d-legend-bar" />
      <div className="twin3d-legend-ticks small">
        <span>{scale.min}</span>
        <span>{mid}</span>
        <span>{scale.max}</span>
      </div>
      <div className="muted small">
        <span className="twin3d-swatch nodata" /> grey: no data{ambientKnown ? '' : ` · ambient assumed ${ASSUMED_AMBIENT_C} °C`}
      </div>
    </div>
  );
}

/** ISO 20816-3 zones for this motor, the shake's scale and the dominant frequency. */
export function VibrationLegend({ zone, limits, dominant, rpm }: { zone: ZoneReading | null; limits: ZoneReading | null; dominant: Dominant | null; rpm: number | null }) {
  const l = limits?.limits;
  return (
    <div className="twin3d-legend" data-testid="vibration-legend">
      <div className="small">
        Bearing housings by ISO 20816-3 zone{limits && ` (group ${limits.group}, ${limits.foundation}${limits.assumed.length ? `; assumed: ${limits.assumed.join(', ')}` : ''})`}
      </div>
      <div className="twin3d-zones small">
        {(['A', 'B', 'C', 'D'] as const).map((z, i) => (
          <span key={z} className={`twin3d-zone zone-${z}${zone?.zone === z ? ' on' : ''}`} title={`zone ${z}`}>
            <ZoneSwatch color={ZONE_COLORS[z]} /> {z}
            {l && <span className="muted"> {i === 0 ? `< ${l.ab}` : i === 1 ? `< ${l.bc}` : i === 2 ? `< ${l.cd}` : `≥ ${l.cd}`}</span>}
          </span>
        ))}
        <span className="muted">mm/s RMS</span>
      </div>
      <div className="muted small" data-testid="shake-scale">
        Shake exaggerated: 1 mm/s drawn as {(SHAKE_M_PER_MM_S * 1000).toFixed(1)} mm at {SHAKE_SHOWN_HZ} Hz
        {dominant ? ` · dominant ${dominant.hz.toFixed(1)} Hz${dominant.order ? ` (${dominant.order.toFixed(2)}× speed)` : ''}${dominant.label ? ` ${dominant.label}` : ''}` : ' · dominant frequency: no waveform analysed yet'}
        {rpm === null ? ' · speed: no data' : ''}
      </div>
    </div>
  );
}

function ZoneSwatch({ color }: { color: string }) {
  return (
    <svg width="10" height="10" aria-hidden>
      <rect width="10" height="10" rx="2" fill={color} />
    </svg>
  );
}
