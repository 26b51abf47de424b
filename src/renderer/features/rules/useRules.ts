import { useCallback, useEffect, useState } from 'react';
import type { Rule } from '../../../shared/healthContract';
import { useEngineClient, useTwin } from '../../engine/EngineProvider';
import { useAlarms } from '../health/healthState';
import type { RuleScope } from './ruleDraft';
import type { RulesView } from './ruleSets';

/**
 * A motor's rules as the engine resolves them, fetched again when its alarms or nameplate change (a rule's
 * state, or the model and defaults behind it) and after every save. `save` rejects with the engine's reason.
 */
export function useRules(id: string) {
  const client = useEngineClient();
  const twin = useTwin(id);
  const alarms = useAlarms();
  const [view, setView] = useState<RulesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saves, setSaves] = useState(0);
  const alarmVersion = [...alarms.values()]
    .filter((a) => a.motorId === id)
    .map((a) => `${a.id}:${a.updatedAt}`)
    .join(',');
  const nameplate = JSON.stringify(twin?.nameplate ?? null);

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    client.call('rules.get', { id }).then(
      (v) => {
        if (cancelled) return;
        setView(v);
        setError(null);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, id, alarmVersion, nameplate, saves]);

  const save = useCallback(
    async (scope: RuleScope, rules: Rule[]) => {
      if (!client) throw new Error('not connected to the engine');
      const key = scope === 'motor' ? id : view?.model;
      if (!key) throw new Error('this motor has no model on its nameplate');
      await client.call('rules.set', { scope, key, rules });
      setSaves((n) => n + 1);
    },
    [client, id, view?.model],
  );

  return { view, error, save };
}
