import { useState, type FormEvent } from 'react';
import type { PlantLinkStatus, PlantPushResult } from '../../../shared/plantContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import './connect.css';
import { serverName, usePlantLink, usePlantLinkActions } from './plantLinkState';

/**
 * Beside this laptop, a plant server: log in (https, a user and password, or the server's API token), open
 * it in the app, and push what this laptop recorded on the bench. The password goes to this laptop's own
 * engine, which holds the session; the page keeps nothing.
 */
export function PlantServerPage() {
  const link = usePlantLink();
  if (!link) return <p className="muted">loading…</p>;
  return <PlantServerView link={link} />;
}

function PlantServerView({ link }: { link: PlantLinkStatus }) {
  const linkActions = usePlantLinkActions(useEngineCall());
  // The last address and user name come back prefilled; the password never does.
  const [form, setForm] = useState({ url: link.url ?? '', username: link.username ?? '', password: '', caPem: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const plant = link.open === 'plant';

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
      // The failure is what the page shows; the status it reloads is only a refresh of what was there.
      await linkActions.refresh().catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };
  const logIn = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await linkActions.logIn({ url: form.url.trim(), username: form.username.trim(), password: form.password, ...(form.caPem.trim() ? { caPem: form.caPem.trim() } : {}) });
      setForm((f) => ({ ...f, password: '' }));
    });
  };
  const field = (k: 'url' | 'username' | 'password', label: string, hint: string, type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input type={type} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} placeholder={hint} autoComplete={type === 'password' ? 'current-password' : 'off'} required={k !== 'username'} data-testid={`plant-${k}`} />
    </label>
  );

  return (
    <section data-testid="plant-page">
      <h1>Plant server</h1>
      <div className="panel">
        <h2>Which MotorTwin the app shows</h2>
        <p>
          Now: <strong data-testid="plant-open">{plant ? `the plant server ${serverName(link.url)}` : 'this laptop'}</strong>
          {link.loggedIn && !plant && <span className="muted"> (logged in to {serverName(link.url)})</span>}
        </p>
        {link.problem && (
          <p className="warn-text" data-testid="plant-problem">
            {link.problem}
          </p>
        )}
        <div className="model-actions">
          <button className={plant ? '' : 'ghost'} disabled={busy || !plant} onClick={() => void act(() => linkActions.open('laptop'))} data-testid="plant-open-laptop">
            This laptop
          </button>
          <button className={plant ? 'ghost' : ''} disabled={busy || plant || !link.loggedIn} onClick={() => void act(() => linkActions.open('plant'))} data-testid="plant-open-plant">
            {link.url ? `Plant server ${serverName(link.url)}` : 'Plant server'}
          </button>
        </div>
        <p className="muted small">
          The plant server's motors, alarms and approvals then fill every page, as its own web page shows them; the bench recordings stay on this laptop until
          they are pushed.
        </p>
      </div>

      <form className="panel" onSubmit={logIn} data-testid="plant-login">
        <h2>Log in</h2>
        <div className="form-grid">
          {field('url', 'Address', 'https://plant.example:8787')}
          {field('username', 'User', 'empty: the password is the API token')}
          {field('password', 'Password', '')}
        </div>
        <details>
          <summary className="small">The plant's own CA certificate</summary>
          <p className="muted small">Needed when the server's certificate is signed by the plant's own certification authority rather than a public one. The certificate is always checked.</p>
          <textarea className="plant-ca" rows={4} value={form.caPem} onChange={(e) => setForm({ ...form, caPem: e.target.value })} placeholder="-----BEGIN CERTIFICATE-----" data-testid="plant-ca" />
        </details>
        <div className="model-actions">
          <button type="submit" disabled={busy} data-testid="plant-login-submit">
            Log in
          </button>
          {link.loggedIn && (
            <button type="button" className="ghost" disabled={busy} onClick={() => void act(linkActions.logOut)} data-testid="plant-logout">
              Log out
            </button>
          )}
          <span className="muted small" data-testid="plant-login-state">
            {link.loggedIn ? `Logged in to ${serverName(link.url)}${link.username ? ` as ${link.username}` : ' with its API token'}` : 'Not logged in'}
          </span>
        </div>
        {error && (
          <p className="error" role="alert" data-testid="plant-error">
            {error}
          </p>
        )}
      </form>

      {link.loggedIn && <PushPanel />}
    </section>
  );
}

/** This laptop's bench reports, certificates and the telemetry of the motors chosen here, to the plant server. */
function PushPanel() {
  const call = useEngineCall();
  const { data: what, error: loadError } = useEngineQuery('plant.pushable', {});
  const [choice, setChoice] = useState({ benchRuns: true, certificates: true, motors: new Set<string>() });
  const [result, setResult] = useState<PlantPushResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!what) return loadError ? <p className="error">{loadError}</p> : null;

  const toggle = (id: string) =>
    setChoice((c) => {
      const motors = new Set(c.motors);
      if (!motors.delete(id)) motors.add(id);
      return { ...c, motors };
    });
  const push = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call('plant.push', { benchRuns: choice.benchRuns, certificates: choice.certificates, motors: [...choice.motors] }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const line = (label: string, r: { sent: number; stored: number; alreadyThere: number }, testId: string) => (
    <tr key={testId} data-testid={testId}>
      <td>{label}</td>
      <td>{r.sent.toLocaleString()}</td>
      <td>{r.stored.toLocaleString()}</td>
      <td>{r.alreadyThere.toLocaleString()}</td>
    </tr>
  );

  return (
    <div className="panel" data-testid="plant-push">
      <h2>Push from this laptop</h2>
      <p className="muted small">Anything the plant server already holds is not stored again, so pushing twice is harmless.</p>
      <label>
        <input type="checkbox" checked={choice.benchRuns} onChange={(e) => setChoice({ ...choice, benchRuns: e.target.checked })} data-testid="plant-push-bench" /> Bench reports ({what.benchRuns})
      </label>{' '}
      <label>
        <input type="checkbox" checked={choice.certificates} onChange={(e) => setChoice({ ...choice, certificates: e.target.checked })} data-testid="plant-push-certs" /> Calibration certificates ({what.certificates})
      </label>
      <h3>Telemetry of these motors</h3>
      {what.motors.length === 0 && <p className="muted small">No motor has stored readings on this laptop.</p>}
      <ul className="plant-motors">
        {what.motors.map((m) => (
          <li key={m.deviceId}>
            <label>
              <input type="checkbox" checked={choice.motors.has(m.deviceId)} onChange={() => toggle(m.deviceId)} data-testid={`plant-push-motor-${m.deviceId}`} /> {m.deviceId}{' '}
              <span className="muted small">({m.rows.toLocaleString()} readings)</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="model-actions">
        <button onClick={() => void push()} disabled={busy || (!choice.benchRuns && !choice.certificates && choice.motors.size === 0)} data-testid="plant-push-submit">
          {busy ? 'Pushing…' : 'Push to the plant server'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="plant-push-error">
          {error}
        </p>
      )}
      {result && (
        <table className="table" data-testid="plant-push-result">
          <thead>
            <tr>
              <th>What</th>
              <th>Sent</th>
              <th>Stored</th>
              <th>Already there</th>
            </tr>
          </thead>
          <tbody>
            {line('Bench reports', result.benchRuns, 'plant-push-result-bench')}
            {line('Certificates', result.certificates, 'plant-push-result-certs')}
            {result.telemetry.map((t) => line(`Telemetry of ${t.deviceId}`, t, `plant-push-result-${t.deviceId}`))}
          </tbody>
        </table>
      )}
    </div>
  );
}
