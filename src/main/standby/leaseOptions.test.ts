import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ingestLeaseOf, sharedIngestClientId } from './leaseOptions';

describe('ingest lease options', () => {
  const store = 'postgres://motortwin:secret@db.plant:5432/history';

  it('is off with the DuckDB file, and its flags say they need a PostgreSQL store', () => {
    expect(ingestLeaseOf(null, {}, 8787)).toBeUndefined();
    expect(() => ingestLeaseOf(null, { 'instance-name': 'a' }, 8787)).toThrow(/--instance-name needs --store postgres/);
    expect(() => ingestLeaseOf(null, { 'ingest-client-id': 'x' }, 8787)).toThrow(/--ingest-client-id needs --store postgres/);
  });

  it('names the instance HOSTNAME:PORT unless told', () => {
    expect(ingestLeaseOf(store, {}, 8787)).toEqual({ url: store, instance: `${hostname()}:8787`, clientId: undefined });
    expect(ingestLeaseOf(store, { 'instance-name': 'plant-b', 'ingest-client-id': 'plant-ingest' }, 8787)).toEqual({ url: store, instance: 'plant-b', clientId: 'plant-ingest' });
  });

  it('refuses names that would not survive the trip', () => {
    expect(() => ingestLeaseOf(store, { 'instance-name': 'zwölf' }, 8787)).toThrow(/--instance-name "zwölf"/);
    expect(() => ingestLeaseOf(store, { 'instance-name': '' }, 8787)).toThrow(/--instance-name/);
    expect(() => ingestLeaseOf(store, { 'ingest-client-id': 'a b' }, 8787)).toThrow(/--ingest-client-id "a b"/);
  });

  it('derives one client id per store, whatever the password', () => {
    const id = sharedIngestClientId(store);
    expect(id).toMatch(/^motortwin-ingest-[0-9a-f]{12}$/);
    expect(sharedIngestClientId('postgres://motortwin:changed@db.plant:5432/history')).toBe(id);
    expect(sharedIngestClientId('postgres://motortwin@db.plant:5432/other')).not.toBe(id);
  });
});
