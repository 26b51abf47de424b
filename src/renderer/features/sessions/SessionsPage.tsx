import { formatDateTime } from '../../ui/format';
import { logOut, useServerSession, useSessionList } from './serverSession';

/** The browser sessions opened with this server's token: when, from where, until when; end any of them. */
export function SessionsPage() {
  const current = useServerSession();
  const { sessions, error, revoke } = useSessionList(current?.csrf ?? null);
  return (
    <section data-testid="sessions-page">
      <div className="page-head">
        <h1>Sessions</h1>
        <span className="spacer" />
        <button onClick={() => void logOut()} data-testid="logout">
          Log out
        </button>
      </div>
      <p className="muted small">A session ends after 8 hours without use, 24 hours after it began, or when it is ended here. Its open pages are disconnected at once.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Opened</th>
            <th>Last used</th>
            <th>Ends</th>
            <th>From</th>
            <th>Browser</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td className="nowrap">{formatDateTime(s.createdAt)}</td>
              <td className="nowrap">{formatDateTime(s.lastSeenAt)}</td>
              <td className="nowrap">{formatDateTime(s.expiresAt)}</td>
              <td className="mono small">{s.address}</td>
              <td className="small">{s.userAgent || '–'}</td>
              <td>{s.current ? <strong>this browser</strong> : <button onClick={() => void revoke(s.id)}>End</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
