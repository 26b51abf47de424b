import net from 'node:net';
import dns from 'node:dns';

// Makes this process behave as a plant laptop with no network: every connection to an address outside the
// loopback range fails (and is recorded), as does every DNS lookup of a name other than localhost.

export interface NetworkGuard {
  attempts: string[];
  uninstall(): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

export function installNetworkGuard(): NetworkGuard {
  const attempts: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  const originalPromiseLookup = dns.promises.lookup;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; path?: string } | number | string;
    const host = typeof first === 'object' && first !== null ? (first.path ? 'unix' : (first.host ?? 'localhost')) : typeof args[1] === 'string' ? args[1] : typeof first === 'string' ? 'unix' : 'localhost';
    if (host !== 'unix' && !LOOPBACK.test(host)) {
      attempts.push(host);
      process.nextTick(() => this.destroy(new Error(`network unreachable (test guard): ${host}`)));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  const refuse = (host: string) => {
    attempts.push(`dns:${host}`);
    return Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host} (test guard)`), { code: 'EAI_AGAIN' });
  };
  (dns as { lookup: unknown }).lookup = function (host: string, ...rest: unknown[]) {
    if (!LOOPBACK.test(host)) {
      const cb = rest.find((r) => typeof r === 'function') as (e: Error) => void;
      process.nextTick(() => cb(refuse(host)));
      return;
    }
    return (originalLookup as (...a: unknown[]) => void).call(dns, host, ...rest);
  };
  (dns.promises as { lookup: unknown }).lookup = async (host: string, ...rest: unknown[]) => {
    if (!LOOPBACK.test(host)) throw refuse(host);
    return (originalPromiseLookup as (...a: unknown[]) => unknown).call(dns.promises, host, ...rest);
  };
  return {
    attempts,
    uninstall() {
      net.Socket.prototype.connect = originalConnect;
      (dns as { lookup: unknown }).lookup = originalLookup;
      (dns.promises as { lookup: unknown }).lookup = originalPromiseLookup;
    },
  };
}
