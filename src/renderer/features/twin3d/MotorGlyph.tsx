import type { TwinSnapshot } from '../../../shared/twin';
import { heatCss, heatScale } from './colormap';
import { NO_DATA_COLOR, ZONE_COLORS, zoneFor } from './vibration';

/**
 * The fleet's 2D stand-in for the 3D twin: a side view whose frame takes the heat colour and whose
 * drive-end bearing takes the ISO zone colour. SVG, no WebGL: ten cards cost nothing per frame.
 */
export function MotorGlyph({ twin }: { twin: TwinSnapshot }) {
  const t = twin.readings.temperature?.value ?? null;
  const zone = zoneFor(twin.readings.vib_velocity?.value, twin.nameplate);
  const frame = heatCss(t, heatScale(twin.limits.temperature?.alarmAbove));
  const bearing = zone ? ZONE_COLORS[zone.zone] : NO_DATA_COLOR;
  const label = `Frame ${t === null ? 'no data' : `${t.toFixed(1)} °C`}; drive-end bearing ${zone ? `ISO zone ${zone.zone}` : 'no data'}`;
  return (
    <svg className="motor-glyph" width="96" height="44" viewBox="0 0 96 44" role="img" aria-label={label} data-testid={`glyph-${twin.id}`}>
      <title>{label}</title>
      <rect x="6" y="8" width="14" height="26" rx="3" fill="#7b8794" />
      <rect x="20" y="4" width="52" height="34" rx="4" fill={frame} stroke="#47505a" strokeWidth="1" />
      {[10, 16, 22, 28, 34].map((y) => (
        <line key={y} x1="22" x2="70" y1={y} y2={y} stroke="#000" strokeOpacity="0.18" />
      ))}
      <rect x="40" y="0" width="14" height="5" fill="#5d7189" />
      <rect x="72" y="10" width="6" height="22" rx="1" fill={bearing} stroke="#47505a" strokeWidth="1" />
      <rect x="78" y="18" width="14" height="6" fill="#a9b1bb" />
      <rect x="24" y="38" width="10" height="5" fill="#5d7189" />
      <rect x="58" y="38" width="10" height="5" fill="#5d7189" />
    </svg>
  );
}
