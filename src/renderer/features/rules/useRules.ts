import { useCallback, useEffect } from 'react';
import type { Rule } from '../../../shared/healthContract';
import { useTwin } from '../../engine/EngineProvider';
import { useEngineCall, useLiveQuery } from '../../engine/useEngineQuery';
import { useAlarms } from '../health/healthState';
import type { RuleScope } from './ruleDraft';
import type { RulesView } from './ruleSets';

/**
 * A motor's rules as the engine resolves them, fetched again when its alarms or nameplate change (a rule's
 * state, or the model and defaults behind it) and after every save. `save` rejects with the engine's reason.
 */
export function useRules(id: string) {
  const call = useEngineCall();
  const twin = useTwin(id);
  const alarms = useAlarms();
  const q = useLiveQuery<RulesView>(`rules.get ${id}`, { load: (c) => c.call('rules.get', { id }) });
  const view = q.data ?? null;
  const alarmVersion = [...alarms.values()]
    .filter((a) => a.motorId === id)
    .map((a) => `${a.id}:${a.updatedAt}`)
    .join(',');
  const nameplate = JSON.stringify(twin?.nameplate ?? null);

  const { reload } = q;
  useEffect(() => {
    void reload();
  }, [alarmVersion, nameplate, reload]);

  const save = useCallback(
    async (scope: RuleScope, rules: Rule[]) => {
      const key = scope === 'motor' ? id : view?.model;
      if (!key) throw new Error('this motor has no model on its nameplate');
      await call('rules.set', { scope, key, rules });
      await reload();
    },
    [call, id, view?.model, reload],
  );

  return { view, error: q.error, save };
}
