// The one table of names a zone version is built in: lower-case FQDN → the values of each kind.
// The mesos-dns generator (records.ts) and the DC/OS extras (dcos-records.ts) write straight into
// it, and the served zone (zone.ts) adopts its map as its lookup table, so every record is held once
// (no record set copied into a second structure). Value lists are insertion-ordered and
// duplicate-free; a list that grows long gets a Set beside it so duplicate checks stay O(1)
// (`slave.<domain>.` with thousands of agents, one app with thousands of instances).
// Names that cannot be written on the wire (a raw DiscoveryInfo name with a 70-character label…)
// are kept apart: listed by /v1/axfr like mesos-dns does, never served. Pure.

export interface SrvTarget { readonly target: string; readonly port: number }

export interface Entry {
  readonly a: string[];
  readonly aaaa: string[];
  readonly srv: SrvTarget[];
  readonly ptr: string[];
  readonly ttl: number;
  /** Created by the DC/OS extras (not part of the mesos-dns record set of /v1/axfr). */
  readonly dcos: boolean;
}

export type ValueKind = 'a' | 'aaaa' | 'ptr';

/**
 * The shared empty list of every kind a name does not have (most names have one kind): a name's
 * list is allocated on its first value, which keeps a 100k-name build from making 300k empty arrays.
 * Frozen: it is never pushed to.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];
type Mutable = { -readonly [K in keyof Entry]: Entry[K] };

/** True if `name` can be written on the wire: labels 1-63 bytes of ASCII, at most 253 characters. */
export function validDnsName(name: string): boolean {
  const n = name.length > 0 && name.charCodeAt(name.length - 1) === 46 ? name.length - 1 : name.length;
  if (n === 0 || n > 253) return false;
  let label = 0;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return false;
      label = 0;
    } else if (c < 0x21 || c > 0x7e || ++label > 63) return false;
  }
  return label > 0;
}

/** Parse an SRV value "target:port" (the target itself contains no ':'). */
export function parseSrvValue(v: string): SrvTarget | undefined {
  const i = v.lastIndexOf(':');
  const port = Number(v.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { target: v.slice(0, i), port };
}

const LONG = 16;
const index = new WeakMap<unknown[], Set<string>>();
const srvKey = (x: SrvTarget) => `${x.target}:${x.port}`;

/** The duplicate index of a long list, built on first need. */
function indexOf<T>(list: T[], key: (x: T) => string): Set<string> {
  let set = index.get(list);
  if (!set) {
    set = new Set();
    for (const x of list) set.add(key(x));
    index.set(list, set);
  }
  return set;
}

function addString(list: string[], value: string): boolean {
  if (list.length < LONG) {
    if (list.includes(value)) return false;
  } else {
    const set = indexOf(list, (x) => x);
    if (set.has(value)) return false;
    set.add(value);
  }
  list.push(value);
  return true;
}

function addSrvTarget(list: SrvTarget[], target: string, port: number): boolean {
  if (list.length < LONG) {
    for (let i = 0; i < list.length; i++) if (list[i]!.port === port && list[i]!.target === target) return false;
  } else {
    const set = indexOf(list, srvKey);
    const key = `${target}:${port}`;
    if (set.has(key)) return false;
    set.add(key);
  }
  list.push({ target, port });
  return true;
}

export class NameTable {
  /** Encodable names: the served lookup table. */
  readonly names = new Map<string, Entry>();
  /** Names that cannot be encoded (record set only). */
  readonly hidden = new Map<string, Entry>();

  /** `ttl`: the TTL of names created without an explicit one (config TTL). */
  constructor(readonly ttl = 60) {}

  get(name: string): Entry | undefined {
    return this.names.get(name) ?? (this.hidden.size > 0 ? this.hidden.get(name) : undefined);
  }

  /** The entry of a lower-case FQDN, created (with `ttl`) if new. */
  entry(name: string, ttl = this.ttl, dcos = false): Entry {
    let e = this.get(name);
    if (e === undefined) {
      e = { a: NONE, aaaa: NONE, srv: NONE, ptr: NONE, ttl, dcos };
      (validDnsName(name) ? this.names : this.hidden).set(name, e);
    }
    return e;
  }

  /** Add an address or PTR target to a name. True if the pair is new. */
  add(name: string, kind: ValueKind, value: string, ttl?: number, dcos?: boolean): boolean {
    const e = this.entry(name, ttl, dcos) as Mutable;
    const list = e[kind];
    if (list === NONE) { e[kind] = [value]; return true; }
    return addString(list, value);
  }

  /** Add an SRV target to a name. True if the pair is new. */
  addSrv(name: string, target: string, port: number): boolean {
    const e = this.entry(name) as Mutable;
    if (e.srv === NONE) { e.srv = [{ target, port }]; return true; }
    return addSrvTarget(e.srv, target, port);
  }
}
