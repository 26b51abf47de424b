/** A host name or address that only this machine can reach. */
export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** A broker address fit to show or log: any user name and password written into it are taken out. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    // Not a URL we can parse: keep only what cannot hold a secret.
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
