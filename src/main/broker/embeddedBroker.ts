import { createServer, type Server } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { Aedes } from 'aedes';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
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

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The broker that ships with the app, so a board or the simulator can publish to the laptop with nothing
 * else installed. Loopback by default; listening beyond it requires a username and password.
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const authRequired = Boolean(opts.username);
  if (!isLoopback(opts.host) && !(opts.username && opts.password)) {
    throw new Error(`the embedded broker only listens on ${opts.host} with a username and password (--mqtt-username, --mqtt-password): otherwise anyone on the network could publish to it`);
  }
  const broker = await Aedes.createBroker();
  if (authRequired) {
    broker.authenticate = (_client, username, password, done) => {
      const ok = username !== undefined && password !== undefined && sameSecret(username, opts.username!) && sameSecret(password.toString(), opts.password ?? '');
      if (ok) done(null, true);
      else {
        const err = Object.assign(new Error('bad username or password'), { returnCode: 4 });
        done(err as never, false);
      }
    };
  }
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
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
    url: `mqtt://${urlHost}:${port}`,
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
