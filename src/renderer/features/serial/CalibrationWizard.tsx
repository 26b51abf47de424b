import { useState } from 'react';
import type { CalibrationSensor, Certificate, SerialPortInfo } from '../../../shared/serialContract';
import { useTwin } from '../../engine/EngineProvider';
import { useEngineCall } from '../../engine/useEngineQuery';

const STEPS: Array<{ sensor: CalibrationSensor; title: string; help: string }> = [
  { sensor: 'temperature', title: '1 · Temperature', help: 'Hold the reference thermometer on the frame next to the board’s sensor. One point corrects the offset; a second point at least 5 °C away also corrects the gain.' },
  { sensor: 'accel', title: '2 · Accelerometer zero', help: 'Lay the board flat and still. Each axis is averaged; gravity is removed from the vertical axis; what remains is the offset.' },
  { sensor: 'rpm', title: '3 · Speed', help: 'Run the motor at a steady speed and read it with the reference tachometer. The board’s pulses per revolution are set to match.' },
];

type Point = { reference: string; measured: number | null };

/** The three calibrations, each measured before and after, each ending in a certificate. */
export function CalibrationWizard({ ports, onCertificate }: { ports: SerialPortInfo[]; onCertificate: (c: Certificate) => void }) {
  const call = useEngineCall();
  const boards = ports.filter((p) => p.state === 'open' && p.deviceId);
  const [deviceId, setDeviceId] = useState('');
  const id = deviceId || boards[0]?.deviceId || '';
  const twin = useTwin(id);
  const [step, setStep] = useState<CalibrationSensor>('temperature');
  const [technician, setTechnician] = useState('');
  const [instrument, setInstrument] = useState('');
  const [instrumentCert, setInstrumentCert] = useState('');
  const [points, setPoints] = useState<Point[]>([{ reference: '', measured: null }]);
  const [vertical, setVertical] = useState<'x' | 'y' | 'z'>('z');
  const [tach, setTach] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Certificate | null>(null);

  if (!boards.length) {
    return <p className="empty-state" data-testid="calibration-empty">Open a board’s port first: calibration talks to the board over USB.</p>;
  }

  const measurePoint = async (i: number) => {
    setBusy(`point-${i}`);
    setError(null);
    try {
      const m = await call('calibration.measure', { deviceId: id, sensor: 'temperature', seconds: 3 });
      setPoints(points.map((p, k) => (k === i ? { ...p, measured: m.mean[0] } : p)));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const run = async () => {
    setBusy('run');
    setError(null);
    setResult(null);
    const common = { deviceId: id, technician, reference: { name: instrument, certificateNo: instrumentCert }, seconds: 3 };
    try {
      let cert: Certificate;
      if (step === 'temperature') {
        if (points.some((p) => p.measured === null || p.reference.trim() === '')) throw new Error('For each point, enter the reference reading and take the board’s reading.');
        cert = await call('calibration.run', { ...common, sensor: 'temperature', points: points.map((p) => ({ reference: Number(p.reference), measured: p.measured! })) });
      } else if (step === 'accel') {
        cert = await call('calibration.run', { ...common, sensor: 'accel', verticalAxis: vertical });
      } else {
        cert = await call('calibration.run', { ...common, sensor: 'rpm', referenceRpm: Number(tach) });
      }
      setResult(cert);
      onCertificate(cert);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const live = step === 'temperature' ? twin?.readings.temperature?.value : step === 'rpm' ? twin?.readings.rpm?.value : null;
  const current = STEPS.find((s) => s.sensor === step)!;

  return (
    <div className="panel" data-testid="calibration-wizard">
      <div className="inline-form">
        <label>
          Board{' '}
          <select value={id} onChange={(e) => setDeviceId(e.target.value)} data-testid="calibration-device">
            {boards.map((b) => (
              <option key={b.path} value={b.deviceId!}>
                {b.deviceId} ({b.path})
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">calibration id on the board: {twin?.device.calibrationId ?? 'none yet'}</span>
      </div>
      <div className="tabs small">
        {STEPS.map((s) => (
          <button key={s.sensor} className={s.sensor === step ? 'active' : 'ghost'} onClick={() => (setStep(s.sensor), setResult(null), setError(null))} data-testid={`calibration-step-${s.sensor}`}>
            {s.title}
          </button>
        ))}
      </div>
      <p className="muted small">{current.help}</p>
      <div className="inline-form">
        <label className="small">
          Calibrated by <input placeholder="your name" value={technician} onChange={(e) => setTechnician(e.target.value)} data-testid="calibration-technician" />
        </label>
        <label className="small">
          Reference instrument <input placeholder="e.g. Fluke 54 II" value={instrument} onChange={(e) => setInstrument(e.target.value)} data-testid="calibration-instrument" />
        </label>
        <label className="small">
          its certificate no. <input placeholder="e.g. CAL-2026-041" value={instrumentCert} onChange={(e) => setInstrumentCert(e.target.value)} data-testid="calibration-instrument-cert" />
        </label>
      </div>
      {live !== undefined && live !== null && (
        <p data-testid="calibration-live">
          Live reading now: <strong>{live}</strong> {step === 'temperature' ? '°C' : 'rpm'}
        </p>
      )}
      {step === 'temperature' && (
        <div>
          {points.map((p, i) => (
            <div className="inline-form" key={i}>
              <span>Point {i + 1}:</span>
              <input placeholder="Reference °C" value={p.reference} onChange={(e) => setPoints(points.map((x, k) => (k === i ? { ...x, reference: e.target.value } : x)))} size={10} data-testid={`calibration-ref-${i}`} />
              <button onClick={() => void measurePoint(i)} disabled={busy !== null} data-testid={`calibration-read-${i}`}>
                {busy === `point-${i}` ? 'Reading 3 s…' : 'Take board reading'}
              </button>
              <span className="mono">{p.measured === null ? '' : `board: ${p.measured.toFixed(2)} °C`}</span>
            </div>
          ))}
          <button className="ghost" onClick={() => setPoints(points.length === 1 ? [...points, { reference: '', measured: null }] : points.slice(0, 1))}>
            {points.length === 1 ? 'Add a second point (gain)' : 'Use one point only'}
          </button>
        </div>
      )}
      {step === 'accel' && (
        <label>
          Vertical axis{' '}
          <select value={vertical} onChange={(e) => setVertical(e.target.value as 'x' | 'y' | 'z')}>
            <option value="z">z (board flat)</option>
            <option value="y">y</option>
            <option value="x">x</option>
          </select>
        </label>
      )}
      {step === 'rpm' && (
        <label>
          Tachometer reading <input value={tach} onChange={(e) => setTach(e.target.value)} size={10} placeholder="rpm" data-testid="calibration-tach" />
        </label>
      )}
      <div className="inline-form" style={{ marginTop: 10 }}>
        <button onClick={() => void run()} disabled={busy !== null || !technician || !instrument || !instrumentCert} data-testid="calibration-run">
          {busy === 'run' ? 'Measuring, sending CALIBRATE, measuring again…' : 'Calibrate and issue certificate'}
        </button>
      </div>
      {error && (
        <p className="error" data-testid="calibration-error">
          {error}
        </p>
      )}
      {result && (
        <div className="calibration-result" data-testid="calibration-result">
          <p>
            Certificate <strong>{result.id}</strong>: the board stored calibration <code>{result.calibrationId}</code> ({Object.entries(result.values).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(' / ') : v}`).join(', ')}).
          </p>
          <p className="small">
            Before: {result.before.mean.join(' / ')} (σ {result.before.std.join(' / ')}) · After: {result.after.mean.join(' / ')} (σ {result.after.std.join(' / ')})
          </p>
        </div>
      )}
    </div>
  );
}
