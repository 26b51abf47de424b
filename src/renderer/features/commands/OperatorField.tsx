import { setOperatorName, useOperator } from './operator';

/** Who is deciding: named in the audit trail. */
export function OperatorField() {
  const name = useOperator();
  return (
    <label className="inline-form small muted">
      Operator
      <input className="operator" defaultValue={name} onBlur={(e) => setOperatorName(e.target.value || 'operator')} data-testid="operator-name" />
    </label>
  );
}
