import { describe, expect, it } from 'vitest';
import { nameplateSchema } from '../../shared/twin';
import { checkLimits, defaultPolicy, needsApproval, type GateContext } from './commandPolicy';

const ctx = (over: Partial<GateContext> = {}): GateContext => ({
  policy: defaultPolicy(),
  nameplate: nameplateSchema.parse({ ratedRpm: 1480 }),
  criticalAlarms: [],
  recentCount: 0,
  ...over,
});

describe('command limits', () => {
  it('keeps REDUCE_LOAD within 0-50 % and SET_SPEED within the nameplate', () => {
    expect(checkLimits({ action: 'REDUCE_LOAD', value: 20 }, ctx())).toBeNull();
    expect(checkLimits({ action: 'REDUCE_LOAD', value: 60 }, ctx())).toMatch(/REDUCE_LOAD 60 is outside the allowed 0-50 %/);
    expect(checkLimits({ action: 'SET_SPEED', value: 1400 }, ctx())).toBeNull();
    expect(checkLimits({ action: 'SET_SPEED', value: 1600 }, ctx())).toMatch(/outside the allowed 148-1480 rpm/);
    expect(checkLimits({ action: 'SET_SPEED', value: 1400 }, ctx({ nameplate: nameplateSchema.parse({}) }))).toMatch(/needs the rated speed on the nameplate/);
  });

  it('asks for a value where one is needed and refuses one where none is', () => {
    expect(checkLimits({ action: 'REDUCE_LOAD' }, ctx())).toMatch(/needs a value/);
    expect(checkLimits({ action: 'STOP', value: 1 }, ctx())).toMatch(/takes no value/);
  });

  it('blocks START during a critical alarm unless a person overrides it with a reason', () => {
    const alarmed = ctx({ criticalAlarms: ['OVERHEATING'] });
    expect(checkLimits({ action: 'START' }, alarmed)).toMatch(/blocked while a critical alarm is active \(OVERHEATING\)/);
    expect(checkLimits({ action: 'START', overrideReason: 'cooling fan replaced, checked on site' }, alarmed)).toBeNull();
    expect(checkLimits({ action: 'STOP' }, alarmed)).toBeNull();
  });

  it('forbids what the motor does not allow, and limits the rate', () => {
    const policy = defaultPolicy();
    policy.actions.REBOOT.allowed = false;
    expect(checkLimits({ action: 'REBOOT' }, ctx({ policy }))).toMatch(/not allowed on this motor/);
    expect(checkLimits({ action: 'IDENTIFY' }, ctx({ recentCount: 6 }))).toMatch(/rate limit: at most 6 commands per minute/);
  });

  it('lets only a person command without approval, or a rule the motor allows to act alone', () => {
    expect(needsApproval('person', false)).toBe(false);
    expect(needsApproval('agent', true)).toBe(true);
    expect(needsApproval('api', false)).toBe(true);
    expect(needsApproval('rule', false)).toBe(true);
    expect(needsApproval('rule', true)).toBe(false);
  });
});
