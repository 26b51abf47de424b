import { tool } from 'langchain';
import type { z } from 'zod';
import { alarmFacts, historyFacts, twinState, vibrationFacts } from './twinFacts';
import { formatPassages, manualQuery, toolLabel, TOOL_SCHEMAS, type ToolContext, type ToolName } from './tools';

// The twin's tools as LangChain tools for the model (schemas, labels and citations are in tools.ts). This
// module loads LangChain, so only the model runtime imports it.

const json = (v: unknown) => JSON.stringify(v);

export function createTools(ctx: ToolContext) {
  const run = <N extends ToolName>(name: N, fn: (args: z.output<(typeof TOOL_SCHEMAS)[N]>, motor: string) => Promise<string> | string) =>
    async (args: z.output<(typeof TOOL_SCHEMAS)[N]>): Promise<string> => {
      const a = args as Record<string, unknown>;
      const motor = typeof a.motor_id === 'string' ? a.motor_id : ctx.motorId;
      try {
        const out = await fn(args, motor);
        ctx.step({ name, args: a, label: toolLabel(name, a, ctx.motorId), ok: true });
        return out;
      } catch (e) {
        ctx.step({ name, args: a, label: toolLabel(name, a, ctx.motorId), ok: false });
        return `Error from ${name}: ${(e as Error).message}`;
      }
    };

  return [
    tool(
      run('get_twin_state', (_a, m) => json(twinState(ctx.source, m))),
      {
        name: 'get_twin_state',
        description: "The motor's current readings, health index with its sub-scores and what pulls it down, status, connection, active alarms, nameplate and limits.",
        schema: TOOL_SCHEMAS.get_twin_state,
      },
    ),
    tool(
      run('get_history', async (a, m) => json(await historyFacts(ctx.source, m, a.metric, a.hours, a.aggregation))),
      {
        name: 'get_history',
        description: 'One reading of the motor over a past window (from the stored history): min, max, mean, trend per hour and up to 24 bucketed values.',
        schema: TOOL_SCHEMAS.get_history,
      },
    ),
    tool(
      run('get_alarms', (a, m) => json(alarmFacts(ctx.source, m, a.include_cleared))),
      {
        name: 'get_alarms',
        description: "The motor's alarms with severity, state, message and the rules that raise them.",
        schema: TOOL_SCHEMAS.get_alarms,
      },
    ),
    tool(
      run('analyze_vibration', async (_a, m) => json(await vibrationFacts(ctx.source, m))),
      {
        name: 'analyze_vibration',
        description: 'The latest vibration spectrum diagnosis: fault (bearing races, unbalance, misalignment, looseness or none), confidence, evidence peaks, ISO 20816 zone and velocity.',
        schema: TOOL_SCHEMAS.analyze_vibration,
      },
    ),
    tool(
      run('search_manuals', async (a) => {
        const hits = await ctx.manuals.search(manualQuery(a.query, ctx.source.twins.all().map((t) => t.id)), { limit: 4 });
        return formatPassages(a.query, hits.map((h) => ctx.citations.add(h)));
      }),
      {
        name: 'search_manuals',
        description: 'Searches the maintenance manuals on this computer. Returns the best passages with document, page and section, or "not found in the manuals".',
        schema: TOOL_SCHEMAS.search_manuals,
      },
    ),
    tool(
      run('propose_command', async (a, m) => {
        const proposer = ctx.proposer;
        if (!proposer) return 'Commands cannot be proposed here: the command queue is not available. Nothing was queued or sent.';
        try {
          const rec = await proposer.propose({ deviceId: m, action: a.action, value: a.value, reason: a.reason, issuer: { kind: 'agent', name: ctx.agentName } });
          return `Proposal ${rec.id} (${a.action}${a.value !== undefined ? ` ${a.value}` : ''} for ${m}) is queued with status "${rec.status}": a person approves, edits or rejects it. Nothing has been sent to the motor.`;
        } catch (e) {
          return `The motor's limits refused the proposal: ${(e as Error).message}. Nothing was queued or sent.`;
        }
      }),
      {
        name: 'propose_command',
        description:
          'Proposes a command to the motor for a person to approve, edit or reject. It never sends anything itself; limits are enforced below you. Use only when an action is clearly warranted by the data.',
        schema: TOOL_SCHEMAS.propose_command,
      },
    ),
  ];
}
