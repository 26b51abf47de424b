import { setOperatorName, useOperator } from './operator';
import { useWho } from '../sessions/serverSession';

/** Who is deciding: named in the audit trail. Once logged in, that is the login, not a typed name. */
export function OperatorField() {
  const name = useOperator();
  const who = useWho();
  if (who.kind !== 'local') {
    return (
      <span className="small muted" data-testid="operator-name">
        as <b>{who.name}</b> ({who.role})
      </span>
    );
  }
  return (
    <label className="inline-form small muted">
      Operator
      <input className="operator" defaultValue={name} onBlur={(e) => setOperatorName(e.target.value || 'operator')} data-testid="operator-name" />
    </label>
  );
}
