// Names marathon-lb derives and HAProxy keeps across reloads: backend names, ACL names, server
// names and the stable server ids (`id N`) that let `server-state-file` carry server state over a
// reload. Server id = sha256(name) mod 32767; on 0 or a collision retry with "<name> <sha256hex>".
// Pure (node:crypto hashing is deterministic).
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

const NON_WORD = /[^a-zA-Z0-9-]/g;

/** re.sub('[^a-zA-Z0-9\-]', '_', s) */
export const cleanName = (s: string): string => s.replace(NON_WORD, '_');

/** `/group/app` + 10000 → `group_app_10000`. */
export const backendName = (appId: string, servicePort: number): string => `${appId.slice(1).replaceAll('/', '_')}_${servicePort}`;

/** Server name: host_ip_port, or ip_port when the host is the IP. */
export function serverName(host: string, ip: string, port: number): string {
  return cleanName(host !== ip ? `${host}_${ip}_${port}` : `${ip}_${port}`);
}

type OneShot = (alg: string, data: string, enc: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
/** sha256 digest; the one-shot crypto.hash (Node ≥ 20.12) avoids a Hash object per server. */
const sha256 = (s: string): Buffer => (oneShot ? oneShot('sha256', s, 'buffer') : createHash('sha256').update(s, 'utf8').digest());

/** The digest as a big-endian integer mod m, a byte at a time (no BigInt, no hex strings). */
function bytesMod(digest: Uint8Array, m: number): number {
  let r = 0;
  for (const b of digest) r = (r * 256 + b) % m;
  return r;
}

/**
 * A stable id in 1..32767 for `name`, not in `taken` (which it extends). Undefined for an empty
 * name (marathon-lb raises ValueError there).
 */
export function serverId(name: string | null | undefined, taken: Set<number>): number | undefined {
  if (name === '' || name === null || name === undefined) return undefined;
  let current = name;
  for (;;) {
    const digest = sha256(current);
    const id = bytesMod(digest, 32767);
    if (id > 0 && !taken.has(id)) {
      taken.add(id);
      return id;
    }
    current = `${current} ${digest.toString('hex')}`;
  }
}

/** The sticky-session cookie value: first 10 hex digits of sha1(server name). */
export const cookieValue = (name: string): string =>
  (oneShot ? oneShot('sha1', name, 'buffer') : createHash('sha1').update(name).digest()).toString('hex').slice(0, 10);
