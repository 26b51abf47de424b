import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { FailedLogins } from '../security/failedLogins';
import { isLoopback } from './urls';
import { MAX_PAYLOAD_BYTES } from '../../shared/protocol/limits';
import { silentLog, type Log } from '../platform/log';

/**
 * The largest MQTT packet a client may send. Every device message is at most MAX_PAYLOAD_BYTES (the
 * decoder rejects more); the margin lets a message somewhat over that limit still reach the decoder, so it
 * is logged as rejected with its reason, while a flood is cut off once its length is read.
 */
export const MAX_PACKET_BYTES = 4 * MAX_PAYLOAD_BYTES;

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** The engine's own account (and the simulator's, and any tool's): may publish and subscribe anywhere. */
  username?: string;
  password?: string;
  /** One account per board, user name = device id: it may publish and subscribe only under factory/<id>/. */
  devices?: Readonly<Record<string, string>>;
  /** PEM certificate and key: the broker then speaks MQTT over TLS (mqtts://). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** A client the broker turned away before its login, with the reason for a person (log, Rejected list). */
  onRefused?: (address: string, reason: string) => void;
  /** Where connections the broker cuts are reported (default: nowhere). */
  log?: Log;
}

/** The port is held by another program (often a Mosquitto on 1883); the engine decides what to do. */
export class PortTakenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use (another broker such as Mosquitto?): use --mqtt-port to move the embedded broker, or --mqtt mqtt://${host}:${port} to use that broker`);
  }
}

/** A message a client published, as the broker hands it to the engine. */
export interface BrokerMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

export interface EmbeddedBroker {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly authRequired: boolean;
  clients(): number;
  /**
   * A per-run account for one of the engine's own clients (a simulated board), which may use only
   * factory/<deviceId>/ like a board; null when the broker takes anyone.
   */
  internalAccount(deviceId: string): { username: string; password: string } | null;
  /** In-process delivery of what clients publish: the engine reads its own broker without a socket. */
  subscribe(topics: readonly string[], onMessage: (m: BrokerMessage) => void): Promise<() => void>;
  /** Publishes as the broker itself (QoS 1 to subscribers); resolves once it is queued to them. */
  publish(topic: string, payload: string | Uint8Array, qos: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

/** Constant time, whatever the lengths: both sides are hashed to the same size first. */
export const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const COMMAND_TOPIC = /^factory\/[^/]+\/commands$/;

/** What an authenticated client is: the engine's account, or one board. */
const deviceOf = new WeakMap<Client, string>();
const mayUse = (client: Client | null, topic: string) => {
  const device = client ? deviceOf.get(client) : undefined;
  return device === undefined || topic.startsWith(`factory/${device}/`);
};

/**
 * The broker that ships with the app, so a board or the simulator can publish to the laptop with nothing
 * else installed. Loopback by default; listening beyond it requires a username and password.
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const devices = new Map(Object.entries(opts.devices ?? {}));
  const authRequired = Boolean(opts.username) || devices.size > 0;
  if (!isLoopback(opts.host) && !((opts.username && opts.password) || devices.size > 0)) {
    throw new Error(`the embedded broker only listens on ${opts.host} with a username and password (--mqtt-username, --mqtt-password) or device accounts (--mqtt-devices): otherwise anyone on the network could publish to it`);
  }
  const broker = await Aedes.createBroker();
  // aedes answers an MQTT 5 CONNECT with "unacceptable protocol version" and closes: say why, where a person looks.
  broker.preConnect = (client, packet, done) => {
    if (packet.protocolVersion === 5) {
      const address = (client.conn as Partial<Socket>).remoteAddress ?? 'unknown';
      opts.onRefused?.(address, `board at ${address} tried MQTT 5; the embedded broker speaks 3.1.1: set the board to 3.1.1 or use --mqtt with Mosquitto`);
    }
    done(null, true);
  };
  // Board ids cannot contain "/", so these names never collide with a board's account.
  const internal = new Map<string, { password: string; device: string }>();
  if (authRequired) {
    const failedLogins = new FailedLogins();
    broker.authenticate = (client, username, password, done) => {
      const address = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown';
      const refuse = () => done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as never, false);
      const own = username !== undefined ? internal.get(username) : undefined;
      // Before the lockout: a stranger's wrong guesses on loopback must not lock the simulator out.
      if (own && sameSecret(password?.toString() ?? '', own.password)) {
        deviceOf.set(client, own.device);
        return done(null, true);
      }
      // Guessing a board's password costs minutes: after 5 wrong logins in a minute the address is refused.
      if (failedLogins.retryAfterS(address) !== null) return refuse();
      const given = password?.toString() ?? '';
      if (username !== undefined && opts.username && opts.password !== undefined && sameSecret(username, opts.username) && sameSecret(given, opts.password)) return done(null, true);
      const device = username !== undefined ? devices.get(username) : undefined;
      // A wrong user name costs as much as a wrong password: no telling which boards exist.
      if (sameSecret(given, device ?? '\0no such device') && device !== undefined) {
        deviceOf.set(client, username!);
        return done(null, true);
      }
      failedLogins.fail(address);
      refuse();
    };
    broker.authorizeSubscribe = (client, sub, done) => done(null, mayUse(client, sub.topic) ? sub : null);
  }
  broker.authorizePublish = (client, packet, done) => {
    if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ is reserved'));
    // A motor's command topic carries only what passed MotorTwin's gate (limits, approval, audit), which
    // publishes as the broker itself; any client publishing there, however logged in, is refused.
    // endsWith first: it rules out nearly every message for less than the pattern costs.
    if (client && packet.topic.endsWith('/commands') && COMMAND_TOPIC.test(packet.topic)) return done(new Error(`${packet.topic}: commands reach a motor only through MotorTwin's command gate`));
    // A board publishes only under its own factory/<id>/ and hears only its own commands.
    if (authRequired && !mayUse(client, packet.topic)) return done(new Error(`${client ? deviceOf.get(client) : '?'} may not publish to ${packet.topic}`));
    done(null);
  };
  const log = opts.log ?? silentLog;
  const handle = (conn: Duplex) => capPacketSize(broker.handle(conn as never), conn, log);
  const server: Server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, handle) : createServer(handle);
  // Closing must not wait for clients that never finish their CONNECT (aedes only closes logged-in ones).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    // A broker that could not listen must not keep the process alive (its heartbeat timers).
    server.once('error', () => broker.close());
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new PortTakenError(opts.host, opts.port) : e));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://${urlHost}:${port}`,
    host: opts.host,
    port,
    authRequired,
    clients: () => broker.connectedClients,
    internalAccount: (deviceId) => {
      if (!authRequired) return null;
      const username = `motortwin-internal/${deviceId}`;
      if (!internal.has(username)) internal.set(username, { password: randomBytes(32).toString('base64url'), device: deviceId });
      return { username, password: internal.get(username)!.password };
    },
    publish: (topic, payload, qos) =>
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false } as never, (err?: Error) => (err ? reject(err) : resolve())),
      ),
    subscribe: async (topics, onMessage) => {
      // aedes's own packet goes on as it is (a client's payload is a Buffer already): no object per message.
      const deliver = (packet: Omit<BrokerMessage, 'payload'> & { payload: Buffer | string }, done: () => void) => {
        onMessage(Buffer.isBuffer(packet.payload) ? (packet as BrokerMessage) : { topic: packet.topic, payload: Buffer.from(packet.payload), qos: packet.qos, retain: packet.retain });
        done();
      };
      await Promise.all(topics.map((t) => new Promise<void>((resolve) => broker.subscribe(t, deliver as never, resolve))));
      return () => topics.forEach((t) => broker.unsubscribe(t, deliver as never, () => undefined));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        broker.close(() => sockets.forEach((s) => s.destroy()));
      }),
  };
}

/**
 * Cuts a client off as soon as its next packet's length (read by aedes's own mqtt-packet parser) exceeds
 * MAX_PACKET_BYTES: the parser would otherwise buffer the whole packet, up to 256 MB, before looking at it.
 */
function capPacketSize(client: Client, conn: Duplex, log: Log): void {
  const parser = (client as unknown as { _parser: { parse(buf: Buffer): number; packet: { length: number } } })._parser;
  const parse = parser.parse.bind(parser);
  parser.parse = (buf) => {
    const left = parse(buf);
    if (parser.packet.length > MAX_PACKET_BYTES) {
      const address = (conn as Partial<Socket>).remoteAddress ?? 'unknown';
      log.warn({ clientId: client.id ?? null, address, bytes: parser.packet.length }, `closed the connection of ${client.id ?? 'a client'} from ${address}: a packet of ${parser.packet.length} bytes exceeds the ${MAX_PACKET_BYTES}-byte limit`);
      conn.destroy();
    }
    return left;
  };
}
