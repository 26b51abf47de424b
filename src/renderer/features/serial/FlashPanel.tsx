import { useState } from 'react';
import { BAUD_RATES, type SerialPortInfo } from '../../../shared/serialContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { useFlashJobs } from './useSerial';

/** Base64 chunks stay under the WebSocket message limit. */
const CHUNK_BYTES = 384 * 1024;
const ACTIVE = new Set(['queued', 'connecting', 'detecting', 'erasing', 'writing', 'verifying', 'resetting', 'confirming']);

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Pick a port and an image, write it with esptool-js in the engine, watch it verify and reboot. */
export function FlashPanel({ ports }: { ports: SerialPortInfo[] }) {
  const call = useEngineCall();
  const jobs = useFlashJobs();
  const [path, setPath] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [build, setBuild] = useState('');
  const builds = useEngineQuery('flash.builds', {}).data ?? [];
  const [offset, setOffset] = useState('0x10000');
  const [baud, setBaud] = useState(460800);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const port = path || ports.find((p) => p.present)?.path || '';
  const job = jobs.find((j) => j.path === port) ?? jobs[0];
  const running = job ? ACTIVE.has(job.phase) : false;

  const start = async () => {
    if ((!file && !build) || !port) return;
    setError(null);
    const off = Number(offset);
    if (!Number.isInteger(off) || off < 0 || off > 0x1000000) {
      setError('The offset must be an address such as 0x10000 (application) or 0x0 (merged image).');
      return;
    }
    setStarting(true);
    try {
      if (build) {
        await call('flash.start', { path: port, file: build, offset: off, baud });
        return;
      }
      if (!file) return;
      const bytes = new Uint8Array(await file.arrayBuffer());
      let uploadId: string | undefined;
      for (let i = 0; i < bytes.length || i === 0; i += CHUNK_BYTES) {
        const chunk = bytes.subarray(i, i + CHUNK_BYTES);
        const r = await call('flash.upload', { uploadId, data: toBase64(chunk), final: i + CHUNK_BYTES >= bytes.length });
        uploadId = r.uploadId;
      }
      await call('flash.start', { path: port, uploadId, offset: off, baud });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="panel" data-testid="flash-panel">
      <h2>Flash firmware</h2>
      <p className="muted small">
        The console lets go of the port while flashing and takes it back afterwards. Boards reset into their bootloader by themselves (DTR/RTS); if yours does not, hold
        BOOT, press EN, release BOOT.
      </p>
      <div className="inline-form">
        <label>
          Port{' '}
          <select value={port} onChange={(e) => setPath(e.target.value)} data-testid="flash-port">
            {ports.map((p) => (
              <option key={p.path} value={p.path}>
                {p.path}
                {p.deviceId ? ` (${p.deviceId})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Image <input type="file" accept=".bin,application/octet-stream" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={Boolean(build)} data-testid="flash-file" />
        </label>
        <label title={builds.length ? undefined : 'Build it with `pio run` in firmware/ to flash it from here'}>
          or this project's build{' '}
          <select value={build} onChange={(e) => setBuild(e.target.value)} data-testid="flash-build">
            <option value="">{builds.length ? 'none' : 'none built yet (pio run in firmware/)'}</option>
            {builds.map((b) => (
              <option key={b.file} value={b.file}>
                {b.env} ({Math.round(b.bytes / 1024)} KiB)
              </option>
            ))}
          </select>
        </label>
        <label>
          Offset <input value={offset} onChange={(e) => setOffset(e.target.value)} size={9} className="mono" data-testid="flash-offset" />
        </label>
        <label>
          Baud{' '}
          <select value={baud} onChange={(e) => setBaud(Number(e.target.value))}>
            {BAUD_RATES.filter((b) => b >= 115200).map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => void start()} disabled={(!file && !build) || !port || running || starting} data-testid="flash-start">
          {starting ? 'Uploading…' : 'Flash'}
        </button>
        {job && running && (
          <button className="danger" onClick={() => void call('flash.cancel', { jobId: job.jobId })} data-testid="flash-cancel">
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p className="error" data-testid="flash-error">
          {error}
        </p>
      )}
      {job && (
        <div className="flash-job" data-testid="flash-job" data-phase={job.phase}>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={job.percent} data-testid="flash-progress">
            <div className={`progress-bar phase-${job.phase}`} style={{ width: `${job.percent}%` }} />
          </div>
          <div className="small">
            <strong>{job.phase}</strong> · {job.written.toLocaleString()} of {job.total.toLocaleString()} bytes ({job.percent} %){job.chip ? ` · ${job.chip}` : ''}
          </div>
          <div className={job.error ? 'error' : 'muted small'} data-testid="flash-message">
            {job.message}
          </div>
          {job.md5 && <div className="mono small muted">MD5 {job.md5} verified</div>}
        </div>
      )}
    </div>
  );
}
