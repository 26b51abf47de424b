import type { RegisterValue } from '../../../shared/modbusContract';

/** Each register as read: where it is, the raw words or bits, and the value they make. */
export function RegisterTable({ values, testId }: { values: RegisterValue[]; testId: string }) {
  return (
    <table className="table small" data-testid={testId}>
      <thead>
        <tr>
          <th>Reading</th>
          <th>Register</th>
          <th>Raw</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {values.map((v) => (
          <tr key={`${v.table}${v.address}`} data-testid="register-row" data-reading={v.reading}>
            <td>{v.label}</td>
            <td className="mono">
              {v.table} {v.address} <span className="muted">{v.table === 'coil' || v.table === 'discrete' ? 'bit' : v.type}</span>
            </td>
            <td className="mono" data-testid="register-raw">
              {v.raw.join(' ')}
            </td>
            <td data-testid="register-value">
              {v.error ? (
                <span className="error">{v.error}</span>
              ) : (
                <>
                  {v.value} {v.unit}
                  {v.text && <span className="muted"> ({v.text})</span>}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
