import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { agentMethods } from '../../shared/agentContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { UploadAssembler } from '../manuals/uploads';

type AgentMethod = keyof typeof agentMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

const uploads = new WeakMap<Engine, UploadAssembler>();

const motorOrThrow = (e: Engine, id: string) => {
  if (!e.twins.get(id)) throw new RpcError('not_found', `no motor "${id}"`);
};

export const agentHandlers: { [M in AgentMethod]: Handler<M> } = {
  'agent.settings': (e) => e.agent.view(),
  'agent.configure': (e, p) => e.agent.configure(agentMethods['agent.configure'].params.parse(p)),
  'agent.testConnection': (e) => e.agent.testConnection(),
  'chat.history': (e, p) => e.agent.history(p.motorId),
  'chat.ask': (e, p) => {
    motorOrThrow(e, p.motorId);
    try {
      const { requestId, done } = e.agent.ask(p.motorId, p.question);
      // The answer streams as `chat` events; its failures are answers too, so nothing is left unhandled.
      done.catch(() => undefined);
      return { requestId };
    } catch (err) {
      throw new RpcError('busy', (err as Error).message);
    }
  },
  'chat.cancel': (e, p) => ({ cancelled: e.agent.cancel(p.requestId) }),
  'chat.clear': async (e, p) => ({ cleared: await e.agent.clear(p.motorId) }),
  'chat.suggestions': (e, p) => e.agent.suggestions(p.motorId),
  'manuals.list': (e) => e.manuals.list(),
  'manuals.upload': (e, p) => {
    let u = uploads.get(e);
    if (!u) uploads.set(e, (u = new UploadAssembler()));
    let r: ReturnType<UploadAssembler['put']>;
    try {
      r = u.put(p.uploadId, p.name, p.offset, p.total, Buffer.from(p.data, 'base64'));
    } catch (err) {
      throw new RpcError('invalid_params', (err as Error).message);
    }
    // Importing runs on; its progress and outcome arrive as `manualImport` events under the upload's id.
    if (r.file) void e.manuals.importFile(p.name, r.file, { importId: p.uploadId });
    return { received: r.received, complete: r.file !== null };
  },
  'manuals.remove': async (e, p) => ({ removed: await e.manuals.remove(p.id) }),
  'manuals.page': async (e, p) => {
    const r = await e.manuals.page(p.id, p.page);
    if (!r) throw new RpcError('not_found', `no page ${p.page} in manual ${p.id}`);
    return { id: r.manual.id, name: r.manual.name, title: r.manual.title, kind: r.manual.kind, page: r.page, pages: r.pages, text: r.text };
  },
  'manuals.search': async (e, p) => (await e.manuals.search(p.query, { limit: p.limit ?? 5 })).map(({ manualId, source, title, page, section, text, score }) => ({ manualId, source, title, page, section, text, score })),
};
