import type { MethodName } from '../../shared/contract';
import type { agentMethods } from '../../shared/agentContract';
import type { Engine } from '../engine';
import { UploadAssembler } from '../manuals/uploads';
import { DomainError } from '../platform/domainError';
import type { Handlers } from './handler';

// One assembler of manual uploads per engine (tests run several engines in one process).
const uploads = new WeakMap<Engine, UploadAssembler>();

export const agentHandlers: Handlers<keyof typeof agentMethods & MethodName> = {
  'agent.settings': (e) => e.agent.view(),
  'agent.configure': (e, p) => e.agent.configure(p),
  'agent.testConnection': (e) => e.agent.testConnection(),
  'chat.history': (e, p) => e.agent.history(p.motorId),
  'chat.ask': (e, p) => {
    e.twins.require(p.motorId);
    const { requestId, done } = e.agent.ask(p.motorId, p.question);
    // The answer streams as `chat` events; its failures are answers too, so nothing is left unhandled.
    done.catch(() => undefined);
    return { requestId };
  },
  'chat.cancel': (e, p) => ({ cancelled: e.agent.cancel(p.requestId) }),
  'chat.clear': async (e, p) => ({ cleared: await e.agent.clear(p.motorId) }),
  'chat.suggestions': (e, p) => e.agent.suggestions(p.motorId),
  'manuals.list': (e) => e.manuals.list(),
  'manuals.upload': (e, p) => {
    let u = uploads.get(e);
    if (!u) uploads.set(e, (u = new UploadAssembler()));
    const r = u.put(p.uploadId, p.name, p.offset, p.total, Buffer.from(p.data, 'base64'));
    // Importing runs on; its progress and outcome arrive as `manualImport` events under the upload's id.
    if (r.file) void e.manuals.importFile(p.name, r.file, { importId: p.uploadId });
    return { received: r.received, complete: r.file !== null };
  },
  'manuals.remove': async (e, p) => ({ removed: await e.manuals.remove(p.id) }),
  'manuals.page': async (e, p) => {
    const r = await e.manuals.page(p.id, p.page);
    if (!r) throw new DomainError('not_found', `no page ${p.page} in manual ${p.id}`);
    return { id: r.manual.id, name: r.manual.name, title: r.manual.title, kind: r.manual.kind, page: r.page, pages: r.pages, text: r.text };
  },
  'manuals.search': async (e, p) => (await e.manuals.search(p.query, { limit: p.limit })).map(({ manualId, source, title, page, section, text, score }) => ({ manualId, source, title, page, section, text, score })),
};
