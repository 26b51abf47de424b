import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Aedes, type Client } from 'aedes';
import { FailedLogins } from '../security/failedLogins';

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
}

export interface EmbeddedBroker {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly authRequired: boolean;
  clients(): number;
  /** In-process delivery of what clients publish: the engine reads its own broker without a socket. */
  subscribe(topics: readonly string[], onMessage: (topic: string, payload: Buffer) => void): Promise<() => void>;
  /** Publishes as the broker itself (QoS 1 to subscribers); resolves once it is queued to them. */
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Constant time, whatever the lengths: both sides are hashed to the same size first. */
export const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

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
  if (authRequired) {
    const failedLogins = new FailedLogins();
    broker.authenticate = (client, username, password, done) => {
      const address = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown';
      const refuse = () => done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as never, false);
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
    // A board publishes only under its own factory/<id>/ and hears only its own commands.
    broker.authorizePublish = (client, packet, done) => {
      if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ is reserved'));
      done(mayUse(client, packet.topic) ? null : new Error(`${client ? deviceOf.get(client) : '?'} may not publish to ${packet.topic}`));
    };
    broker.authorizeSubscribe = (client, sub, done) => done(null, mayUse(client, sub.topic) ? sub : null);
  }
  const server: Server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, broker.handle) : createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    // A broker that could not listen must not keep the process alive (its heartbeat timers).
    server.once('error', () => broker.close());
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${opts.port} on ${opts.host} is already in use (another broker such as Mosquitto?): use --mqtt-port to move the embedded broker, or --mqtt mqtt://${opts.host}:${opts.port} to use that broker`)
          : e,
      ),
    );
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
    publish: (topic, payload, qos) =>
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false } as never, (err?: Error) => (err ? reject(err) : resolve())),
      ),
    subscribe: async (topics, onMessage) => {
      const deliver = (packet: { topic: string; payload: Buffer | string }, done: () => void) => {
        onMessage(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
        done();
      };
      await Promise.all(topics.map((t) => new Promise<void>((resolve) => broker.subscribe(t, deliver as never, resolve))));
      return () => topics.forEach((t) => broker.unsubscribe(t, deliver as never, () => undefined));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        broker.close();
      }),
  };
}
