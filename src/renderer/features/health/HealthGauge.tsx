import { useState } from 'react';
import type { AssessmentLevel, HealthSnapshot } from '../../../shared/healthContract';
import { formatDateTime } from '../../ui/format';
import { BaselineStatus } from './BaselineStatus';

const colourOf = (v: number | null) => (v === null ? 'var(--unknown)' : v >= 80 ? 'var(--ok)' : v >= 50 ? 'var(--warn)' : 'var(--alarm)');
/** The assessment's level in the colours the status badge and the 3D overlay use for it. */
export const LEVEL_COLOUR: Record<AssessmentLevel, string> = { normal: 'var(--ok)', watch: 'var(--warn)', alert: 'var(--alarm)', danger: 'var(--alarm)' };

/** Half-circle gauge of the health index; hover or click shows the sub-scores, their weights and why. */
export function HealthGauge({ id, health }: { id: string; health: HealthSnapshot | undefined }) {
  // Hover shows the details for a look; a click pins them open.
  const [hover, setHover] = useState(false);
  const [pinned, setPinned] = useState(false);
  const open = hover || pinned;
  const index = health?.index ?? null;
  const angle = Math.PI * (1 - (index ?? 0) / 100);
  const r = 50;
  const end = { x: 60 + r * Math.cos(angle), y: 60 - r * Math.sin(angle) };
  const title = health?.pulledDownBy.length ? health.pulledDownBy.join('\n') : 'Nothing pulls the index down';
  return (
    <section className="panel health-panel" data-testid="health-panel">
      <div className="health-row">
        <button className="gauge ghost" onClick={() => setPinned((p) => !p)} onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)} title={title} data-testid="health-gauge" aria-expanded={open}>
          <svg viewBox="0 0 120 70" width="150" height="88" role="img" aria-label={`Health index ${index ?? 'unknown'}`}>
            <path d="M10 60 A50 50 0 0 1 110 60" fill="none" stroke="var(--surface-2)" strokeWidth="10" strokeLinecap="round" />
            {index !== null && index > 0 && <path d={`M10 60 A50 50 0 0 1 ${end.x.toFixed(2)} ${end.y.toFixed(2)}`} fill="none" stroke={health ? LEVEL_COLOUR[health.assessment.level] : colourOf(index)} strokeWidth="10" strokeLinecap="round" />}
            <text x="60" y="58" textAnchor="middle" fontSize="24" fill="var(--text)" data-testid="health-index">
              {index === null ? '–' : index}
            </text>
          </svg>
          <div className="small muted">Health index</div>
        </button>
        <div className="health-summary">
          {health && (
            <p className="verdict" data-testid="health-verdict" data-level={health.assessment.level}>
              <span className="verdict-level" style={{ color: LEVEL_COLOUR[health.assessment.level] }}>
                {health.assessment.level}
              </span>{' '}
              {health.assessment.verdict}
              {health.stored && <span className="muted small"> (stored {formatDateTime(health.ts)}, no live reading since)</span>}
            </p>
          )}
          {health?.pulledDownBy.length ? (
            <ul className="small pulled-down" data-testid="health-pulled-down">
              {health.pulledDownBy.slice(0, 3).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : (
            <p className="small muted">{index === null ? 'Waiting for readings.' : 'Every sub-score is at 100.'}</p>
          )}
          <BaselineStatus id={id} anomaly={health?.anomaly} />
        </div>
      </div>
      {open && health && (
        <table className="table sub-scores" data-testid="health-details">
          <thead>
            <tr>
              <th>Sub-score</th>
              <th>Weight</th>
              <th>Score</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {health.subScores.map((s) => (
              <tr key={s.name} data-testid={`sub-score-${s.name}`}>
                <td>{s.name}</td>
                <td>{Math.round(s.weight * 100)} %</td>
                <td style={{ color: colourOf(s.score) }}>{s.score === null ? 'n/a' : Math.round(s.score)}</td>
                <td className="small">{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
