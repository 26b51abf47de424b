import type { ReactNode } from 'react';

/** A labelled field with the engine's reason for refusing it right beside it. */
export function RuleField({ label, unit, error, errorKey, children }: { label: string; unit?: string; error?: string; errorKey: string; children: ReactNode }) {
  return (
    <label className={`field rule-field${error ? ' rule-field-invalid' : ''}`}>
      <span>
        {label}
        {unit && <span className="muted"> ({unit})</span>}
      </span>
      {children}
      {error && (
        <span className="rule-field-error" role="alert" data-testid={`rule-error-${errorKey}`}>
          {error}
        </span>
      )}
    </label>
  );
}
