import { EventEmitter } from 'node:events';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { SerialPort } from 'serialport';
import type { ConsoleLine, SerialPortInfo } from '../../shared/serialContract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { TwinRegistry } from '../twin/twinRegistry';
import { recogniseBridge } from './bridges';
import { openNodePort, SerialBoard, type PortOpener } from './serialBoard';
import { silentLog, type Log } from '../platform/log';

export interface ListedPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}
export type PortLister = () => Promise<ListedPort[]>;

export interface SerialManagerEvents {
  ports: [SerialPortInfo[]];
  console: [{ path: string; lines: ConsoleLine[] }];
}

export interface SerialManagerOptions {
  lister?: PortLister;
  opener?: PortOpener;
  /** Where device nodes appear and vanish (Linux: /dev); null where there is no such folder to watch. */
  deviceFolder?: string | null;
  /** Full listings this often where no device folder can be watched (Windows, or a watch that failed). */
  pollMs?: number;
  /** While boards are open or wanted back: how often their paths are checked (a stat, not a listing). */
  watchMs?: number;
  consoleBatchMs?: number;
  /** Where a device folder that cannot be watched is reported (default: nowhere). */
  log?: Log;
}

/**
 * Every serial port MotorTwin knows: the ones the OS lists and the ones opened by path (pseudo-terminals are
 * never listed). A board that was opened and vanishes is reopened when a port with the same serial number,
 * or the same path, comes back.
 * Listing is what costs (on Linux serialport spawns `udevadm info -e` and parses the whole udev database), so
 * it runs when the device folder changes, not on a clock: an idle engine with no board does no work at all.
 * The per-second checks run only while a board is open or wanted back, and they only stat its path.
 */
export class SerialManager extends EventEmitter<SerialManagerEvents> {
  private listed = new Map<string, ListedPort>();
  private readonly boards = new Map<string, SerialBoard>();
  /** The serial number each wanted board had when it was last seen, to find it under a new path. */
  private readonly serials = new Map<SerialBoard, string>();
  private boardTimers: Array<ReturnType<typeof setInterval>> = [];
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private deviceWatcher: FSWatcher | null = null;
  private relist: ReturnType<typeof setTimeout> | null = null;
  private lastSnapshot = '';
  private polling = false;
  /** A change came in while a listing ran: list once more when it ends. */
  private pollAgain = false;
  private listedOnce = false;
  /** Callers of ports() waiting for the listing a change in the device folder has started. */
  private listingWaiters: Array<() => void> = [];
  private readonly lister: PortLister;
  private readonly opener: PortOpener;
  private readonly log: Log;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly twins: TwinRegistry,
    private readonly opts: SerialManagerOptions = {},
  ) {
    super();
    this.lister = opts.lister ?? (() => SerialPort.list());
    this.opener = opts.opener ?? openNodePort;
    this.log = opts.log ?? silentLog;
  }

  start(): void {
    void this.poll();
    const folder = this.opts.deviceFolder === undefined ? (process.platform === 'linux' ? '/dev' : null) : this.opts.deviceFolder;
    if (folder && this.watchDevices(folder)) return;
    this.pollTimer = setInterval(() => void this.poll(), this.opts.pollMs ?? 2000);
  }

  /** True when the folder is watched; plug and unplug then list the ports once, a moment after the burst. */
  private watchDevices(folder: string): boolean {
    try {
      this.deviceWatcher = watch(folder, { persistent: false }, () => {
        // udev creates the node, then its links and permissions: list once, a moment after the first of them.
        // Not pushed back by each later change, so ports() never waits longer than that moment and a listing.
        this.relist ??= setTimeout(() => {
          this.relist = null;
          void this.poll();
        }, 250);
      });
      this.deviceWatcher.on('error', (e) => {
        this.log.warn({ folder, err: e }, `watching ${folder} stopped; listing ports every ${(this.opts.pollMs ?? 2000) / 1000} s instead`);
        this.deviceWatcher?.close();
        this.deviceWatcher = null;
        this.pollTimer ??= setInterval(() => void this.poll(), this.opts.pollMs ?? 2000);
      });
      return true;
    } catch (e) {
      this.log.warn({ folder, err: e }, `cannot watch ${folder} for new ports; listing them every ${(this.opts.pollMs ?? 2000) / 1000} s instead`);
      return false;
    }
  }

  /** The per-board timers run from the first board on and stop with the last. */
  private boardsChanged(): void {
    if (this.boards.size && !this.boardTimers.length) {
      // Also the boards' counters (lines, garbage, rejected) reach the port list this way, once a second.
      this.boardTimers.push(setInterval(() => void this.checkBoards().then(() => this.publish()), this.opts.watchMs ?? 1000));
      this.boardTimers.push(setInterval(() => this.flushConsole(), this.opts.consoleBatchMs ?? 100));
    } else if (!this.boards.size && this.boardTimers.length) {
      for (const t of this.boardTimers) clearInterval(t);
      this.boardTimers = [];
    }
  }

  board(path: string): SerialBoard | undefined {
    return this.boards.get(path);
  }

  boardFor(deviceId: string): SerialBoard | undefined {
    return [...this.boards.values()].find((b) => b.deviceId === deviceId);
  }

  async open(path: string, baud: number): Promise<SerialBoard> {
    let b = this.boards.get(path);
    if (b && b.baud !== baud) {
      await b.close('opening');
      b.baud = baud;
    }
    if (!b) {
      b = new SerialBoard(path, baud, this.pipeline, this.twins, this.opener);
      b.on('changed', () => this.publish());
      this.boards.set(path, b);
      this.boardsChanged();
    }
    const serial = this.listed.get(path)?.serialNumber;
    if (serial) this.serials.set(b, serial);
    try {
      await b.open();
    } catch (e) {
      this.publish();
      throw e;
    }
    return b;
  }

  async close(path: string): Promise<boolean> {
    const b = this.boards.get(path);
    if (!b) return false;
    this.boards.delete(path);
    this.serials.delete(b);
    this.flushConsole();
    this.boardsChanged();
    await b.close();
    this.publish();
    return true;
  }

  /**
   * Lends a port to a flash: the console lets go of it and takes it back when `restore` is called.
   * A port nobody had open is simply free.
   */
  async release(path: string): Promise<() => Promise<void>> {
    const b = this.boards.get(path);
    if (!b || b.state === 'closed') return async () => undefined;
    await b.close('flashing');
    b.console.add('info', 'the console let go of the port for flashing');
    return async () => {
      b.console.add('info', 'flash finished: the console takes the port back');
      // A failed open is the board's state (shown on it) and starts its reconnection.
      await b.open().catch(() => b.state === 'error' && this.markReconnecting(b));
    };
  }

  private markReconnecting(b: SerialBoard): void {
    b.state = 'reconnecting';
    this.publish();
  }

  list(): SerialPortInfo[] {
    const infos: SerialPortInfo[] = [];
    const paths = new Set([...this.listed.keys(), ...this.boards.keys()]);
    for (const path of [...paths].sort()) {
      const l = this.listed.get(path);
      const b = this.boards.get(path);
      const guess = recogniseBridge(l?.vendorId, l?.productId);
      infos.push({
        path,
        manufacturer: l?.manufacturer ?? null,
        serialNumber: l?.serialNumber ?? (b ? (this.serials.get(b) ?? null) : null),
        vid: l?.vendorId ?? null,
        pid: l?.productId ?? null,
        bridge: guess?.bridge ?? (l ? null : 'pseudo-terminal or unlisted port'),
        chipFamily: guess?.chipFamily ?? null,
        present: Boolean(l) || existsSync(path),
        state: b?.state ?? 'closed',
        baud: b?.baud ?? null,
        deviceId: b?.deviceId ?? null,
        error: b?.error ?? null,
        hint: b?.hint ?? null,
        lines: b?.lines ?? 0,
        garbageLines: b?.garbageLines ?? 0,
        rejectedLines: b?.rejectedLines ?? 0,
      });
    }
    return infos;
  }

  /**
   * The ports as the last listing found them, for the RPC: a listing costs 0.5-2.5 s of udevadm on a loaded
   * machine, so it runs again only when the device folder changed since (waiting for that listing, which the
   * change has already set off). Where ports are listed on a clock, that clock's last listing answers.
   */
  async ports(): Promise<SerialPortInfo[]> {
    const current = this.listedOnce && !this.relist && !this.polling && (this.deviceWatcher || this.pollTimer);
    if (current) return this.list();
    const listed = new Promise<void>((resolve) => this.listingWaiters.push(resolve));
    if (!this.relist && !this.polling) void this.poll();
    await listed;
    return this.list();
  }

  /** Lists ports, publishes changes, and reopens wanted boards that came back. */
  async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      // A listing that fails keeps the last one; the next change in /dev (or poll) lists again.
      const ports = await this.lister().catch(() => [...this.listed.values()]);
      this.listed = new Map(ports.map((p) => [p.path, p]));
      this.listedOnce = true;
      await this.checkBoards();
      this.publish();
    } finally {
      this.polling = false;
      // Waiters want a listing made after the last change: not this one if another is already due.
      if (!this.pollAgain && !this.relist) for (const resolve of this.listingWaiters.splice(0)) resolve();
    }
    if (this.pollAgain) {
      this.pollAgain = false;
      await this.poll();
    }
  }

  /** The cheap part, every second while there are boards: a vanished path, a path that is back. */
  private async checkBoards(): Promise<void> {
    for (const b of [...this.boards.values()]) {
      // A port can miss its hangup (a pseudo-terminal whose socat was killed does, now and then); a
      // device node that is gone means unplugged. Only for paths on the filesystem (not COM3).
      if (b.state === 'open' && b.path.startsWith('/') && !this.listed.has(b.path) && !existsSync(b.path)) await b.vanished();
      if (b.state === 'reconnecting' || b.state === 'error') await this.tryReconnect(b);
    }
  }

  private async tryReconnect(b: SerialBoard): Promise<void> {
    const serial = this.serials.get(b);
    const moved = serial ? [...this.listed.values()].find((p) => p.serialNumber === serial && p.path !== b.path) : undefined;
    if (moved && !this.boards.has(moved.path)) {
      this.boards.delete(b.path);
      b.console.add('info', `board ${serial} came back as ${moved.path}`);
      b.path = moved.path;
      this.boards.set(b.path, b);
    }
    // An open that failed for another reason than a missing port (busy, permission) waits for the user.
    if (b.state === 'error' && !moved && !b.error?.startsWith('no port')) return;
    if (!this.listed.has(b.path) && !existsSync(b.path)) return;
    // As in release(): the failure is the board's state, and reconnection goes on.
    await b.open().catch(() => this.markReconnecting(b));
  }

  publish(): void {
    const list = this.list();
    const snapshot = JSON.stringify(list);
    if (snapshot === this.lastSnapshot) return;
    this.lastSnapshot = snapshot;
    this.emit('ports', list);
  }

  flushConsole(): void {
    for (const [path, b] of this.boards) {
      const lines = b.console.takeUnsent();
      if (lines.length) this.emit('console', { path, lines });
    }
  }

  async closeAll(): Promise<void> {
    for (const t of this.boardTimers) clearInterval(t);
    this.boardTimers = [];
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.relist) clearTimeout(this.relist);
    this.deviceWatcher?.close();
    this.pollTimer = this.relist = this.deviceWatcher = null;
    for (const resolve of this.listingWaiters.splice(0)) resolve();
    await Promise.all([...this.boards.values()].map((b) => b.close()));
    this.boards.clear();
  }
}
