import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { withoutCredentials } from '../broker/urls';

export const LEASE_USAGE = `  --instance-name NAME   with --store postgres://…: this instance's name in /api/health, where the instance
                         that holds the ingest lease is named (default HOSTNAME:PORT)
  --ingest-client-id ID  with --store postgres://…: the MQTT client id of the persistent ingest session that the
                         instances on one store share (default derived from the store URL)`;

/** Which instance this is, and the MQTT session the instances on one store share (EngineConfig.ingestLease). */
export interface IngestLeaseConfig {
  url: string;
  instance: string;
  clientId?: string;
}

/** Letters, digits and . _ - : @ (it travels as PostgreSQL's application_name, which keeps ASCII only). */
const NAME = /^[A-Za-z0-9._:@-]{1,48}$/;
/** MQTT 3.1.1 guarantees client ids of 1-23 characters only; Mosquitto and EMQX take up to 65535. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The ingest lease of `serve`: on when history lives in PostgreSQL (several instances may share it),
 * off with the DuckDB file (one instance owns it). Throws the message for a wrong flag.
 */
export function ingestLeaseOf(
  storeUrl: string | null,
  v: { 'instance-name'?: string; 'ingest-client-id'?: string },
  httpPort: number,
): IngestLeaseConfig | undefined {
  if (storeUrl === null) {
    for (const flag of ['instance-name', 'ingest-client-id'] as const) if (v[flag] !== undefined) throw new Error(`--${flag} needs --store postgres://…: only instances sharing a PostgreSQL store take turns at ingest`);
    return undefined;
  }
  const instance = v['instance-name'] ?? `${hostname()}:${httpPort || `pid${process.pid}`}`;
  if (!NAME.test(instance)) throw new Error(`--instance-name ${JSON.stringify(instance)}: use 1-48 letters, digits and . _ - : @`);
  const clientId = v['ingest-client-id'];
  if (clientId !== undefined && !CLIENT_ID.test(clientId)) throw new Error(`--ingest-client-id ${JSON.stringify(clientId)}: use 1-128 letters, digits and . _ - :`);
  return { url: storeUrl, instance, clientId };
}

/**
 * The client id of the persistent ingest session, the same for every instance on one store (credentials
 * left out, so a changed password keeps the session). Only the lease holder connects with it: a second
 * connection with the same id would make the broker drop the first.
 */
export function sharedIngestClientId(storeUrl: string): string {
  return `motortwin-ingest-${createHash('sha1').update(withoutCredentials(storeUrl)).digest('hex').slice(0, 12)}`;
}
