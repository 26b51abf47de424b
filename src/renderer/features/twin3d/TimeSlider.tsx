import { formatDateTime } from '../../ui/format';
import type { ReplayData } from './useReplay';

interface Props {
  on: boolean;
  data: ReplayData | null;
  error: string | null;
  index: number;
  onToggle(on: boolean): void;
  onIndex(i: number): void;
}

/** Replays the last 24 hours on the model: drag through the day; "Live" returns to the present. */
export function TimeSlider({ on, data, error, index, onToggle, onIndex }: Props) {
  const n = data?.t.length ?? 0;
  return (
    <div className="twin3d-slider" data-testid="time-slider">
      <button className={on ? 'on' : ''} onClick={() => onToggle(!on)} data-testid="replay-toggle">
        {on ? 'Back to live' : 'Replay 24 h'}
      </button>
      {on && (
        <>
          <input
            type="range"
            min={0}
            max={Math.max(0, n - 1)}
            value={Math.min(index, Math.max(0, n - 1))}
            disabled={n === 0}
            onChange={(e) => onIndex(Number(e.target.value))}
            aria-label="Moment of the last 24 hours"
            data-testid="replay-range"
          />
          <span className="small nowrap" data-testid="replay-time">
            {error ? `history unavailable: ${error}` : !data ? 'loading…' : n === 0 ? 'no history in the last 24 h' : formatDateTime(data.t[Math.min(index, n - 1)])}
          </span>
        </>
      )}
    </div>
  );
}
