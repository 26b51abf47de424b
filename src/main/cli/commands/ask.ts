import type { ChatEvent, ChatMessage } from '../../../shared/agentContract';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { connectServer } from '../serverClient';
import { dataDirOf, parse, serverAuthHeaders, serverTokenOption, SERVER_TOKEN_USAGE } from '../options';
import { agentConfigOf, LLM_USAGE, llmOptions, openEngine } from '../agentOptions';

export const askCommand: CliCommand = {
  name: 'ask',
  usage: `motortwin ask "QUESTION" [--motor ID] [--data-dir DIR | --server URL] [--json]
  --motor ID             the motor in question (default: motor_01, or the only motor there is)
  --data-dir DIR         the history database to read (default: the desktop app's data folder)
  --server URL           ask a running MotorTwin instead (its database is locked while it runs)
${SERVER_TOKEN_USAGE}
  --json                 print {"answer", "citations": [{"source", "page", "text"}], "tool_calls": [{"name", "args"}], "mode"}
${LLM_USAGE}`,
  async run(args, io) {
    const { values: v, positionals } = parse(args, { motor: { type: 'string' }, 'data-dir': { type: 'string' }, server: { type: 'string' }, json: { type: 'boolean' }, ...serverTokenOption, ...llmOptions }, true);
    if (positionals.length !== 1 || !positionals[0].trim()) throw new UsageError('give the question as one quoted argument');
    const question = positionals[0].trim();
    const stream = v.json ? undefined : (t: string) => process.stdout.write(t);
    let message: ChatMessage;
    if (v.server) {
      if (v['llm-base-url'] || v['llm-model'] || v['llm-api-key']) throw new UsageError('with --server the running MotorTwin uses its own model settings');
      message = await askServer(v.server, v.motor, question, serverAuthHeaders(v), stream);
    } else {
      const engine = await openEngine(dataDirOf(v), agentConfigOf(v));
      try {
        const motor = v.motor ?? defaultMotor(engine.twins.all().map((t) => t.id));
        if (!engine.twins.get(motor)) io.err(`note: no motor "${motor}" in this data folder; the answer can only use the manuals`);
        const { requestId, done } = engine.agent.ask(motor, question);
        if (stream) engine.on('chat', (e) => e.requestId === requestId && e.type === 'token' && stream(e.text));
        message = await done;
      } finally {
        await engine.close();
      }
    }
    print(io, message, Boolean(v.json), Boolean(stream));
    return message.mode === 'error' ? 1 : 0;
  },
};

const defaultMotor = (ids: string[]) => (ids.length === 1 ? ids[0] : 'motor_01');

function print(io: CliIo, m: ChatMessage, json: boolean, streamed: boolean): void {
  if (json) {
    io.out(
      JSON.stringify(
        {
          answer: m.content,
          citations: m.citations.map((c) => ({ source: c.source, page: c.page, text: c.text })),
          tool_calls: m.steps.map((s) => ({ name: s.name, args: s.args })),
          mode: m.mode,
        },
        null,
        2,
      ),
    );
    return;
  }
  if (!streamed) io.out(m.content);
  else io.out('');
  if (m.steps.length) io.out(`\nsteps: ${m.steps.map((s) => s.label + (s.ok ? '' : ' (failed)')).join('; ')}`);
  for (const c of m.citations) io.out(`[${c.n}] ${c.title} (${c.source}), page ${c.page}${c.section ? `, ${c.section}` : ''}`);
}

async function askServer(url: string, motor: string | undefined, question: string, headers: Record<string, string>, stream?: (t: string) => void): Promise<ChatMessage> {
  const { client, close } = await connectServer(url, headers, 30_000);
  try {
    const id = motor ?? defaultMotor((await client.call('twins.list', {})).map((t) => t.id));
    const events: ChatEvent[] = [];
    let requestId: string | null = null;
    const finished = new Promise<ChatMessage>((resolve) => {
      client.on('chat', (e) => {
        if (requestId === null) events.push(e);
        else if (e.requestId === requestId) handle(e);
      });
      const handle = (e: ChatEvent) => {
        if (e.type === 'token') stream?.(e.text);
        if (e.type === 'done') resolve(e.message);
      };
      void client.call('chat.ask', { motorId: id, question }).then((r) => {
        requestId = r.requestId;
        events.filter((e) => e.requestId === requestId).forEach(handle);
      });
    });
    return await finished;
  } finally {
    client.dispose();
    close();
  }
}
