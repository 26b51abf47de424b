import type { Handlers } from './handler';

export const importHandlers: Handlers<'history.importUpload' | 'history.importColumns' | 'history.import'> = {
  'history.importUpload': (e, p) => e.imports.uploads.put(p.uploadId, p.name, p.offset, p.total, Buffer.from(p.data, 'base64')),
  'history.importColumns': (e, p) => e.imports.columns(p.uploadId),
  'history.import': (e, p) => e.imports.start(p.uploadId, p),
};
