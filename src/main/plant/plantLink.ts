import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PLANT_PUSH_PATHS, pushReceiptSchema, type PlantLinkStatus, type PlantPushResult, type PushReceipt } from '../../shared/plantContract';
import { DomainError, type DomainCode } from '../platform/domainError';
import type { MotorDatabase } from '../store/database';
import { localBenchRuns, localCertificates, localTelemetry } from './localRecords';
import { openPlantContract, plantRequest, reasonOf, type PlantAddress, type PlantContract } from './plantClient';

// A laptop's link to one plant server: the login (a session the engine holds, never the page), which
// engine the app shows, and the push of what the laptop recorded. The address, user name and CA are
// remembered in the data folder for the next login; the password and the session are not.

export interface PlantLinkOptions {
  /** Only a laptop's own engine opens plant servers; a server reached over the network does not. */
  enabled: boolean;
  dataDir: string;
  db: MotorDatabase;
  /** Local telemetry is flushed to the file before it is read for a push. */
  flush(): Promise<void>;
}

const rememberedSchema = z.object({ url: z.string(), username: z.string(), caPem: z.string().optional() });
const TELEMETRY_BATCH = 5000;

export class PlantLink {
  private address: PlantAddress | null = null;
  private username: string | null = null;
  private token: string | null = null;
  private loggedIn = false;
  private which: 'laptop' | 'plant' = 'laptop';
  private problem: string | null = null;
  private readonly file: string;

  constructor(private readonly opts: PlantLinkOptions) {
    this.file = join(opts.dataDir, 'plant-link.json');
    const remembered = this.remembered();
    if (remembered) {
      this.address = { url: remembered.url, caPem: remembered.caPem };
      this.username = remembered.username || null;
    }
  }

  get enabled(): boolean {
    return this.opts.enabled;
  }

  /** True when new connections of the app are to be carried to the plant server. */
  get showsPlant(): boolean {
    return this.which === 'plant' && this.loggedIn;
  }

  status(): PlantLinkStatus {
    return { open: this.showsPlant ? 'plant' : 'laptop', url: this.address?.url ?? null, username: this.username, loggedIn: this.loggedIn, problem: this.problem };
  }

  /**
   * Logs in with a user name and password (`POST /api/login`), or, with no user name, with the server's
   * API token as the password (checked on `GET /api/session`), which scripts and older servers use.
   */
  async login(p: { url: string; username: string; password: string; caPem?: string }): Promise<PlantLinkStatus> {
    this.requireEnabled();
    const address: PlantAddress = { url: p.url.replace(/\/$/, ''), caPem: p.caPem };
    this.logout();
    this.address = address;
    this.username = p.username || null;
    this.remember();
    let r: { status: number; body: unknown };
    try {
      r = p.username
        ? await plantRequest(address, 'POST', '/api/login', { body: { username: p.username, password: p.password } })
        : await plantRequest(address, 'GET', '/api/session', { token: p.password });
    } catch (e) {
      return this.fail((e as Error).message, 'failed');
    }
    if (r.status === 401 || r.status === 403 || r.status === 429) return this.fail(`the plant server refused the login: ${reasonOf(r)}`, 'refused');
    if (r.status !== 200) return this.fail(`the plant server answered the login with ${reasonOf(r)}`, 'refused');
    const token = (r.body as { token?: unknown } | null)?.token;
    this.token = p.username ? (typeof token === 'string' ? token : null) : p.password;
    if (!this.token) return this.fail('the plant server logged in but gave no session token for this app', 'refused');
    this.loggedIn = true;
    this.problem = null;
    return this.status();
  }

  logout(): PlantLinkStatus {
    if (this.loggedIn && this.address && this.token) {
      // Ending the session on the server is a courtesy: it expires on its own if the server is away.
      void plantRequest(this.address, 'POST', '/api/logout', { token: this.token, body: {} }).catch(() => undefined);
    }
    this.token = null;
    this.loggedIn = false;
    this.which = 'laptop';
    this.problem = null;
    return this.status();
  }

  open(which: 'laptop' | 'plant'): PlantLinkStatus {
    this.requireEnabled();
    if (which === 'plant' && !this.loggedIn) throw new DomainError('refused', 'log in to the plant server first');
    this.which = which;
    return this.status();
  }

  /** The plant server could not be reached when the app connected: the app shows this laptop, saying why. */
  fellBack(problem: string): void {
    this.which = 'laptop';
    this.problem = `showing this laptop: ${problem}`;
  }

  /** The plant server's contract for one of the app's connections. */
  async contract(): Promise<PlantContract> {
    if (!this.address || !this.loggedIn) throw new DomainError('refused', 'not logged in to a plant server');
    try {
      const c = await openPlantContract(this.address, this.token);
      this.problem = null;
      c.onEnded((code) => {
        if (code === 4401) this.sessionEnded();
      });
      return c;
    } catch (e) {
      if ((e as { status?: number }).status === 401) this.sessionEnded();
      else this.problem = (e as Error).message;
      throw e;
    }
  }

  /** Pushes bench runs, certificates and the chosen motors' telemetry; what is already there is not stored again. */
  async push(p: { benchRuns: boolean; certificates: boolean; motors: string[]; from?: number }): Promise<PlantPushResult> {
    this.requireEnabled();
    if (!this.loggedIn) throw new DomainError('refused', this.problem ?? 'log in to the plant server first');
    const result: PlantPushResult = { benchRuns: zero(), certificates: zero(), telemetry: [] };
    if (p.benchRuns) {
      // One run a request: a run carries its readings, and a failure halfway costs one run's re-send.
      for (const run of await localBenchRuns(this.opts.db)) add(result.benchRuns, 1, await this.post(PLANT_PUSH_PATHS.benchRuns, { runs: [run] }));
    }
    if (p.certificates) {
      const certs = await localCertificates(this.opts.db);
      for (let i = 0; i < certs.length; i += 500) {
        const part = certs.slice(i, i + 500);
        add(result.certificates, part.length, await this.post(PLANT_PUSH_PATHS.certificates, { certificates: part }));
      }
    }
    if (p.motors.length) await this.opts.flush();
    for (const deviceId of p.motors) {
      const count = { deviceId, ...zero() };
      for await (const rows of localTelemetry(this.opts.db, deviceId, p.from, TELEMETRY_BATCH)) add(count, rows.length, await this.post(PLANT_PUSH_PATHS.telemetry, { deviceId, rows }));
      result.telemetry.push(count);
    }
    return result;
  }

  private async post(path: string, body: unknown): Promise<PushReceipt> {
    if (!this.address || !this.loggedIn) throw new DomainError('refused', 'log in to the plant server first');
    const r = await plantRequest(this.address, 'POST', path, { token: this.token, body });
    if (r.status === 401) {
      this.sessionEnded();
      throw new DomainError('refused', `the plant server ended the session: ${reasonOf(r)}; log in again`);
    }
    if (r.status !== 200) throw new DomainError('refused', `the plant server refused ${path}: ${reasonOf(r)}`);
    const receipt = pushReceiptSchema.safeParse(r.body);
    if (!receipt.success) throw new DomainError('failed', `the plant server answered ${path} with something other than a receipt`);
    return receipt.data;
  }

  private sessionEnded(): void {
    this.loggedIn = false;
    this.token = null;
    this.problem = 'the plant server ended the session (expired, logged out or revoked): log in again';
  }

  private fail(problem: string, code: DomainCode): never {
    this.problem = problem;
    throw new DomainError(code, problem);
  }

  private requireEnabled(): void {
    if (!this.opts.enabled) throw new DomainError('refused', 'this MotorTwin is a server others reach; only a laptop\'s own engine opens a plant server');
  }

  private remembered(): z.infer<typeof rememberedSchema> | null {
    if (!existsSync(this.file)) return null;
    try {
      return rememberedSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // A damaged file only costs the prefilled address: the person types it again.
      return null;
    }
  }

  private remember(): void {
    if (!this.address) return;
    writeFileSync(this.file, JSON.stringify({ url: this.address.url, username: this.username ?? '', caPem: this.address.caPem }, null, 2));
  }
}

const zero = () => ({ sent: 0, stored: 0, alreadyThere: 0 });
function add(to: { sent: number; stored: number; alreadyThere: number }, sent: number, r: PushReceipt): void {
  to.sent += sent;
  to.stored += r.stored;
  to.alreadyThere += r.alreadyThere;
}
