// Names marathon-lb derives and HAProxy keeps across reloads: backend names, ACL names, server
// names and the stable server ids (`id N`) that let `server-state-file` carry server state over a
// reload. Server id = sha256(name) mod 32767; on 0 or a collision retry with "<name> <sha256hex>".
// SHA-256 is computed in JS (sha256.ts); sha1 for cookies by node:crypto. Pure (hashing is deterministic).
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { sha256Hex, sha256Mod } from './sha256.js';

/** [a-zA-Z0-9-] */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;

/** re.sub('[^a-zA-Z0-9\-]', '_', s), without a regex: a hot path (every server name). */
export function cleanName(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (isWordChar(s.charCodeAt(i))) continue;
    out += `${s.slice(from, i)}_`;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** `/group/app` + 10000 → `group_app_10000`. */
export const backendName = (appId: string, servicePort: number): string => `${appId.slice(1).replaceAll('/', '_')}_${servicePort}`;

/** Server name: host_ip_port, or ip_port when the host is the IP. */
export function serverName(host: string, ip: string, port: number): string {
  return cleanName(host !== ip ? `${host}_${ip}_${port}` : `${ip}_${port}`);
}

type OneShot = (alg: string, data: string, enc: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/**
 * A stable id in 1..32767 for `name`, not in `taken` (which it extends). Undefined for an empty
 * name (marathon-lb raises ValueError there).
 */
export function serverId(name: string | null | undefined, taken: Set<number>): number | undefined {
  if (name === '' || name === null || name === undefined) return undefined;
  let current = name;
  for (;;) {
    const id = sha256Mod(current, 32767);
    if (id > 0 && !taken.has(id)) {
      taken.add(id);
      return id;
    }
    current = `${current} ${sha256Hex(current)}`; // rare: only on 0 or a collision
  }
}

/** The sticky-session cookie value: first 10 hex digits of sha1(server name). */
export const cookieValue = (name: string): string =>
  (oneShot ? oneShot('sha1', name, 'buffer') : createHash('sha1').update(name).digest()).toString('hex').slice(0, 10);
