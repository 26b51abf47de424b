import type { CommandPolicy, CommandRequest, OperatorAction } from '../../shared/commandsContract';
import type { Nameplate } from '../../shared/twin';

// The limits below everything: which actions a motor accepts at all and in what range. Every command,
// whoever issues it (a person, a rule, the agent, the HTTP API), passes `checkLimits` before it may even
// wait for approval.

export function defaultPolicy(): CommandPolicy {
  return {
    actions: {
      REDUCE_LOAD: { allowed: true, min: 0, max: 50 },
      // Within the nameplate: min and max are taken from the rated speed unless set here.
      SET_SPEED: { allowed: true, min: null, max: null },
      STOP: { allowed: true, min: null, max: null },
      START: { allowed: true, min: null, max: null },
      IDENTIFY: { allowed: true, min: null, max: null },
      SET_RATE: { allowed: true, min: 1, max: 10 },
      REBOOT: { allowed: true, min: null, max: null },
    },
    perMinute: 6,
    apiWithoutApproval: ['IDENTIFY'],
    ackTimeoutS: 30,
    // 25 % brings a motor that overheats at three-quarter load back under the alarm's hysteresis band.
    ruleActions: { OVERHEATING: { action: 'REDUCE_LOAD', value: 25, auto: false } },
  };
}

const VALUED: readonly OperatorAction[] = ['REDUCE_LOAD', 'SET_SPEED', 'SET_RATE'];

export interface GateContext {
  policy: CommandPolicy;
  nameplate: Nameplate;
  /** Active critical alarms on the motor (their conditions), for the START interlock. */
  criticalAlarms: string[];
  /** Commands this motor was sent or asked for in the last minute. */
  recentCount: number;
}

/** Null when the command may proceed (to approval or to the motor), else the reason it may not. */
export function checkLimits(req: Pick<CommandRequest, 'action' | 'value' | 'overrideReason'>, ctx: GateContext): string | null {
  const limit = ctx.policy.actions[req.action];
  if (!limit?.allowed) return `${req.action} is not allowed on this motor (its command limits forbid it)`;
  if (ctx.recentCount >= ctx.policy.perMinute) return `rate limit: at most ${ctx.policy.perMinute} commands per minute for this motor`;
  if (VALUED.includes(req.action)) {
    if (req.value === undefined) return `${req.action} needs a value`;
    const [min, max] = rangeFor(req.action, limit, ctx.nameplate);
    if (req.action === 'SET_SPEED' && max === null) return 'SET_SPEED needs the rated speed on the nameplate (or a speed range in the command limits)';
    if ((min !== null && req.value < min) || (max !== null && req.value > max)) return `${req.action} ${req.value} is outside the allowed ${min ?? '-∞'}-${max ?? '∞'} ${unit(req.action)}`;
  } else if (req.value !== undefined) {
    return `${req.action} takes no value`;
  }
  if (req.action === 'START' && ctx.criticalAlarms.length && !req.overrideReason) {
    return `START is blocked while a critical alarm is active (${ctx.criticalAlarms.join(', ')}); override it with a reason if it is safe`;
  }
  return null;
}

/** The allowed range of a valued action; SET_SPEED defaults to 10-100 % of the rated speed. */
export function rangeFor(action: OperatorAction, limit: { min: number | null; max: number | null }, nameplate: Nameplate): [number | null, number | null] {
  if (action !== 'SET_SPEED') return [limit.min, limit.max];
  const rated = nameplate.ratedRpm;
  return [limit.min ?? (rated ? Math.round(rated * 0.1) : null), limit.max ?? rated ?? null];
}

function unit(action: OperatorAction): string {
  return action === 'REDUCE_LOAD' ? '%' : action === 'SET_SPEED' ? 'rpm' : action === 'SET_RATE' ? 'Hz' : '';
}

/** Person-issued commands go at once (after the UI's confirmation); proposals wait for a person. */
export function needsApproval(issuerKind: 'person' | 'rule' | 'agent' | 'api', autoRule: boolean): boolean {
  if (issuerKind === 'person') return false;
  if (issuerKind === 'rule') return !autoRule;
  return true;
}
