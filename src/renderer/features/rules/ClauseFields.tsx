import { SIGNALS, type Signal } from '../../../shared/healthContract';
import { signalInfo } from '../../../shared/ruleText';
import { blankClause, type ClauseDraft } from './ruleDraft';
import { RuleField } from './RuleField';

const OPS = { threshold: ['above', 'below'], rate: ['rising', 'falling'] } as const;

/** One condition of a rule: a threshold with hysteresis and a duration, or a rate of change over a window. */
export function ClauseFields({
  clause,
  index,
  errors,
  onChange,
  onRemove,
}: {
  clause: ClauseDraft;
  index: number;
  errors: Record<string, string>;
  onChange: (c: ClauseDraft) => void;
  onRemove: (() => void) | null;
}) {
  const key = (f: string) => `clauses.${index}.${f}`;
  const unit = signalInfo(clause.signal).unit;
  const set = (patch: Partial<ClauseDraft>) => onChange({ ...clause, ...patch });
  const text = (f: 'value' | 'hysteresis' | 'forS' | 'perMin' | 'windowS', label: string, fieldUnit?: string) => (
    <RuleField label={label} unit={fieldUnit} error={errors[key(f)]} errorKey={key(f)}>
      <input className="narrow" inputMode="decimal" value={clause[f]} onChange={(e) => set({ [f]: e.target.value })} data-testid={`rule-field-${key(f)}`} />
    </RuleField>
  );
  return (
    <fieldset className="rule-clause" data-testid={`rule-clause-${index}`}>
      <legend>Condition {index + 1}</legend>
      <div className="rule-clause-fields">
        <RuleField label="Kind" error={errors[key('kind')]} errorKey={key('kind')}>
          <select value={clause.kind} onChange={(e) => onChange(blankClause(e.target.value as ClauseDraft['kind'], clause.signal))} data-testid={`rule-field-${key('kind')}`}>
            <option value="threshold">Threshold</option>
            <option value="rate">Rate of change</option>
          </select>
        </RuleField>
        <RuleField label="Signal" error={errors[key('signal')]} errorKey={key('signal')}>
          <select value={clause.signal} onChange={(e) => set({ signal: e.target.value as Signal })} data-testid={`rule-field-${key('signal')}`}>
            {SIGNALS.map((s) => (
              <option key={s} value={s}>
                {signalInfo(s).label}
              </option>
            ))}
          </select>
        </RuleField>
        <RuleField label="When" error={errors[key('op')]} errorKey={key('op')}>
          <select value={clause.op} onChange={(e) => set({ op: e.target.value })} data-testid={`rule-field-${key('op')}`}>
            {OPS[clause.kind].map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </RuleField>
        {clause.kind === 'threshold' ? (
          <>
            {text('value', 'Limit', unit)}
            {text('hysteresis', 'Hysteresis', unit)}
            {text('forS', 'For at least', 's')}
          </>
        ) : (
          <>
            {text('perMin', 'Faster than', `${unit}/min`)}
            {text('windowS', 'Slope over the last', 's')}
          </>
        )}
        {onRemove && (
          <button type="button" className="ghost rule-clause-remove" onClick={onRemove} data-testid={`rule-clause-remove-${index}`}>
            Remove condition
          </button>
        )}
      </div>
      <p className="muted small">
        {clause.kind === 'threshold'
          ? `Holds once the signal is ${clause.op} the limit for the time given, and lets go only when it is back past the limit ${clause.op === 'above' ? 'less' : 'plus'} the hysteresis.`
          : `Holds while the slope fitted over the window is ${clause.op} faster than the rate; lets go below half of it.`}
      </p>
    </fieldset>
  );
}
