import { useEffect, useState } from 'react';
import { useLiveQuery } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';
import { useLatestWaveform } from '../health/healthState';
import { SpectrumPlot } from './SpectrumPlot';
import { Waterfall } from './Waterfall';

const FAULT_TEXT: Record<string, string> = {
  none: 'No fault',
  unbalance: 'Unbalance',
  misalignment: 'Misalignment',
  looseness: 'Looseness',
  outer_race: 'Outer-race bearing defect',
  inner_race: 'Inner-race bearing defect',
  ball: 'Rolling-element defect',
  cage: 'Cage defect',
  inconclusive: 'Inconclusive',
};

/** The latest waveform block of a motor: diagnosis with its evidence, spectrum and envelope plots, and a waterfall. */
export function VibrationPanel({ id }: { id: string }) {
  const latest = useLatestWaveform(id);
  const [fullBand, setFullBand] = useState(false);
  const shown = useLiveQuery(`waveforms ${id}`, {
    load: async (c) => {
      const [detail, history] = await Promise.all([c.call('waveforms.latest', { id }), c.call('waveforms.list', { id, limit: 40 })]);
      return { detail, history };
    },
  });
  // A new block was analysed: its spectra and the waterfall's new row come with the next load.
  const { reload } = shown;
  const version = latest?.ts ?? 0;
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);
  const detail = shown.data?.detail ?? null;
  const history = shown.data?.history ?? [];
  const error = shown.error;

  if (!detail) {
    return (
      <section className="panel" data-testid="vibration-panel">
        <h2>Vibration analysis</h2>
        <p className="muted small">{error ?? 'No waveform block from this motor yet. Boards (and the simulator) send one every few seconds on factory/<id>/waveform.'}</p>
      </section>
    );
  }
  const d = detail.diagnosis;
  const shaft = detail.markers.find((m) => m.label === '1x')?.hz ?? 25;
  return (
    <section className="panel" data-testid="vibration-panel">
      <div className="panel-head">
        <h2>Vibration analysis</h2>
        <span className="muted small">
          block of {detail.samples} samples at {detail.fs} Hz, {formatDateTime(detail.ts)} · {detail.rpm?.toFixed(0) ?? '?'} rpm · bearing {detail.bearing}
        </span>
        <span className="spacer" />
        <label className="small">
          <input type="checkbox" checked={fullBand} onChange={() => setFullBand((f) => !f)} data-testid="spectrum-full-band" /> full band
        </label>
      </div>
      {detail.error ? (
        <p className="error" data-testid="diagnosis">
          Not analysed: {detail.error}
        </p>
      ) : (
        <div className={`diagnosis ${d && d.fault !== 'none' && d.fault !== 'inconclusive' ? 'diagnosis-fault' : ''}`} data-testid="diagnosis">
          <strong data-testid="diagnosis-fault">{d ? FAULT_TEXT[d.fault] ?? d.fault : '–'}</strong>
          {d && d.fault !== 'none' && <span> · confidence {(d.confidence * 100).toFixed(0)} %</span>}
          <span className="muted">
            {' '}
            · {detail.rmsG?.toFixed(3)} g RMS, {detail.velocityRmsMmS?.toFixed(2)} mm/s (ISO zone {detail.isoZone}), kurtosis {detail.kurtosis?.toFixed(1)}, crest factor {detail.crestFactor?.toFixed(1)}
          </span>
          {d && <div className="small">{d.evidence}</div>}
          {d && d.peaks.length > 0 && (
            <div className="small muted">
              Supporting lines: {d.peaks.map((p) => `${p.label} ${p.hz.toFixed(1)} Hz (${p.snr.toFixed(0)}x floor)`).join(', ')}
            </div>
          )}
          {detail.warnings.length > 0 && (
            <ul className="small warn-text">
              {detail.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {detail.spectrum && (
        <>
          <h3>Acceleration spectrum (g) · 1x/2x/3x and bearing lines · drag to zoom, double-click to reset</h3>
          <SpectrumPlot df={detail.spectrum.df} amplitude={detail.spectrum.amplitude} markers={detail.markers} unit="g" testId="spectrum-plot" maxHz={fullBand ? undefined : Math.max(20 * shaft, 400)} />
        </>
      )}
      {detail.envelope && (
        <>
          <h3>
            Envelope spectrum (g), band {detail.envelope.band.lowHz.toFixed(0)}-{detail.envelope.band.highHz.toFixed(0)} Hz · BPFO/BPFI/BSF/FTF
          </h3>
          <SpectrumPlot df={detail.envelope.df} amplitude={detail.envelope.amplitude} markers={detail.markers} unit="g" testId="envelope-plot" />
        </>
      )}
      <h3>Waterfall</h3>
      <Waterfall analyses={history} />
    </section>
  );
}
