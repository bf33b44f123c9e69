// Generic config readers over unknown JSON that collect every problem instead of stopping at the
// first. A room's config.ts does:
//   readConfig(json, (r) => ({ port: r.int('port', DEFAULTS.port, { min: 1, max: 65535 }), … }))
// and gets Result<Config, Problem[]>. Absent or null keys take the default. Key lookup can be
// case-insensitive (Go's encoding/json, which mesos-dns config files rely on, matches that way:
// exact key first, then any casing). Keys nobody read are reported as unknown. `coerceStrings`
// accepts "42"/"true" for numbers/booleans, for maps built from flags or env. Pure.
// Longer than 250 lines because the item parsers and the reader are one small API used together.
import type { Problem, Result } from './errors.js';
import { ok, err } from './errors.js';
import { parseCidr, parseIp, type Cidr } from './ip.js';

export type ItemParser<T> = (value: unknown, path: string) => Result<T, Problem>;

export interface ReaderOptions {
  readonly caseInsensitive?: boolean;
  readonly coerceStrings?: boolean;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const joinPath = (base: string, key: string): string => (base ? `${base}.${key}` : key);
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v));
const problem = (path: string, message: string): Result<never, Problem> => err({ path, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- item parsers: one value → Result ------------------------------------------------------------

export const asString: ItemParser<string> = (v, path) =>
  typeof v === 'string' ? ok(v) : problem(path, `want a string, got ${show(v)}`);

export const asNonEmptyString: ItemParser<string> = (v, path) =>
  typeof v === 'string' && v.trim() !== '' ? ok(v.trim()) : problem(path, `want a non-empty string, got ${show(v)}`);

export function asNumber(opts: { min?: number; max?: number; integer?: boolean; coerce?: boolean } = {}): ItemParser<number> {
  return (v, path) => {
    let n = v;
    if (opts.coerce && typeof v === 'string' && v.trim() !== '') n = Number(v);
    const what = opts.integer ? 'an integer' : 'a number';
    if (typeof n !== 'number' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
      return problem(path, `want ${what}, got ${show(v)}`);
    }
    if (opts.min !== undefined && n < opts.min) return problem(path, `must be ≥ ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) return problem(path, `must be ≤ ${opts.max}, got ${n}`);
    return ok(n);
  };
}

export function asBool(coerce = false): ItemParser<boolean> {
  return (v, path) => {
    if (typeof v === 'boolean') return ok(v);
    if (coerce && typeof v === 'string' && /^(true|false|1|0)$/i.test(v.trim())) return ok(/^(true|1)$/i.test(v.trim()));
    return problem(path, `want true or false, got ${show(v)}`);
  };
}

export function asEnum<T extends string>(values: readonly T[], caseInsensitive = false): ItemParser<T> {
  return (v, path) => {
    const hit = typeof v === 'string' ? values.find((x) => (caseInsensitive ? x.toLowerCase() === v.toLowerCase() : x === v)) : undefined;
    return hit !== undefined ? ok(hit) : problem(path, `want one of ${values.join(', ')}, got ${show(v)}`);
  };
}

export function asUrl(protocols: readonly string[] = ['http:', 'https:']): ItemParser<string> {
  return (v, path) => {
    if (typeof v !== 'string') return problem(path, `want a URL, got ${show(v)}`);
    let u: URL;
    try {
      u = new URL(v.trim());
    } catch {
      return problem(path, `not a URL: ${show(v)}`);
    }
    if (!protocols.includes(u.protocol)) return problem(path, `URL scheme must be one of ${protocols.join(', ')}, got ${show(v)}`);
    return ok(v.trim());
  };
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** "host:port", "1.2.3.4:53", "[::1]:53"; a bare host takes `defaultPort` when given. */
export function parseHostPort(text: string, defaultPort?: number): HostPort | undefined {
  const s = text.trim();
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    if (!parseIp(v6[1] ?? '').ok || !(v6[1] ?? '').includes(':')) return undefined;
    host = v6[1] as string;
    port = v6[2];
  } else {
    const i = s.lastIndexOf(':');
    if (i >= 0 && s.indexOf(':') !== i) return undefined; // bare IPv6 needs brackets
    host = i >= 0 ? s.slice(0, i) : s;
    port = i >= 0 ? s.slice(i + 1) : undefined;
    if (!parseIp(host).ok && !HOSTNAME.test(host)) return undefined;
  }
  const p = port === undefined ? defaultPort : /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (p === undefined || !Number.isInteger(p) || p < 1 || p > 65535) return undefined;
  return { host, port: p };
}

export function asHostPort(defaultPort?: number): ItemParser<HostPort> {
  return (v, path) => {
    const hp = typeof v === 'string' ? parseHostPort(v, defaultPort) : undefined;
    const want = defaultPort === undefined ? 'host:port' : `host[:port]`;
    return hp ? ok(hp) : problem(path, `want ${want}, got ${show(v)}`);
  };
}

export const asIp: ItemParser<string> = (v, path) => {
  const r = typeof v === 'string' ? parseIp(v, path) : undefined;
  return r?.ok ? ok(r.value.address) : problem(path, `want an IP address, got ${show(v)}`);
};

export const asCidr: ItemParser<Cidr> = (v, path) => {
  const r = typeof v === 'string' ? parseCidr(v, path, { strict: true }) : undefined;
  if (r?.ok) return r;
  return problem(path, r ? r.error.message : `want a CIDR, got ${show(v)}`);
};

// ---- the reader -----------------------------------------------------------------------------------

export class ConfigReader {
  readonly path: string;
  readonly problems: Problem[];
  private readonly obj: Record<string, unknown>;
  private readonly used = new Set<string>();
  private readonly children: ConfigReader[] = [];

  constructor(input: unknown, readonly opts: ReaderOptions = {}, path = '', problems: Problem[] = []) {
    this.path = path;
    this.problems = problems;
    if (input === undefined || input === null) this.obj = {};
    else if (isObject(input)) this.obj = input;
    else {
      this.obj = {};
      problems.push({ path, message: `want an object, got ${show(input)}` });
    }
  }

  /** The actual key holding `key` (exact first, then case-insensitively if enabled). */
  private find(key: string): string | undefined {
    if (Object.hasOwn(this.obj, key)) return key;
    if (!this.opts.caseInsensitive) return undefined;
    const lower = key.toLowerCase();
    return Object.keys(this.obj).find((k) => k.toLowerCase() === lower);
  }

  /** Raw value (undefined when absent or null); marks the key as read. */
  raw(key: string): unknown {
    const k = this.find(key);
    if (k === undefined) return undefined;
    this.used.add(k);
    const v = this.obj[k];
    return v === null ? undefined : v;
  }

  has(key: string): boolean {
    const k = this.find(key);
    return k !== undefined && this.obj[k] !== null;
  }

  /** Read with any item parser; absent → def; invalid → problem recorded and def returned. */
  read<T, D = T>(key: string, parse: ItemParser<T>, def: D): T | D {
    const v = this.raw(key);
    if (v === undefined) return def;
    const r = parse(v, joinPath(this.path, key));
    if (r.ok) return r.value;
    this.problems.push(r.error);
    return def;
  }

  string<D extends string | undefined>(key: string, def: D): string | D { return this.read(key, asString, def); }
  int<D extends number | undefined>(key: string, def: D, range: { min?: number; max?: number } = {}): number | D {
    return this.read(key, asNumber({ ...range, integer: true, coerce: this.opts.coerceStrings }), def);
  }
  number<D extends number | undefined>(key: string, def: D, range: { min?: number; max?: number } = {}): number | D {
    return this.read(key, asNumber({ ...range, coerce: this.opts.coerceStrings }), def);
  }
  bool<D extends boolean | undefined>(key: string, def: D): boolean | D {
    return this.read(key, asBool(this.opts.coerceStrings), def);
  }
  enum<T extends string, D extends T | undefined>(key: string, values: readonly T[], def: D): T | D {
    return this.read(key, asEnum(values, this.opts.caseInsensitive), def);
  }
  url<D extends string | undefined>(key: string, def: D, protocols?: readonly string[]): string | D {
    return this.read(key, asUrl(protocols), def);
  }
  hostPort<D extends HostPort | undefined>(key: string, def: D, defaultPort?: number): HostPort | D {
    return this.read(key, asHostPort(defaultPort), def);
  }
  ip<D extends string | undefined>(key: string, def: D): string | D { return this.read(key, asIp, def); }
  /** A CIDR (host bits must be clear); `def` may be given as text (a valid CIDR). */
  cidr(key: string, def: Cidr | string): Cidr;
  cidr(key: string, def: undefined): Cidr | undefined;
  cidr(key: string, def: Cidr | string | undefined): Cidr | undefined {
    const d = typeof def === 'string' ? parseCidr(def) : undefined;
    return this.read(key, asCidr, d ? (d.ok ? d.value : undefined) : (def as Cidr | undefined));
  }

  /** An array whose items each go through `item`; bad items are reported and skipped. */
  array<T, D extends readonly T[] | undefined>(key: string, item: ItemParser<T>, def: D): T[] | D {
    const v = this.raw(key);
    if (v === undefined) return def;
    const path = joinPath(this.path, key);
    if (!Array.isArray(v)) {
      this.problems.push({ path, message: `want an array, got ${show(v)}` });
      return def;
    }
    const out: T[] = [];
    v.forEach((x, i) => {
      const r = item(x, `${path}[${i}]`);
      if (r.ok) out.push(r.value);
      else this.problems.push(r.error);
    });
    return out;
  }

  stringArray<D extends readonly string[] | undefined>(key: string, def: D): string[] | D {
    return this.array(key, asString, def);
  }

  /** Nested object reader sharing this reader's problem list (an absent key reads as {}). */
  object(key: string): ConfigReader {
    const child = new ConfigReader(this.raw(key), this.opts, joinPath(this.path, key), this.problems);
    this.children.push(child);
    return child;
  }

  /** Readers for an array of objects. */
  objects(key: string): ConfigReader[] {
    const items = this.array(key, (x, p) => ok(new ConfigReader(x, this.opts, p, this.problems)), []);
    this.children.push(...items);
    return items;
  }

  /** Keys present here or in nested readers that nothing read, as full paths. */
  unknownKeys(): string[] {
    const mine = Object.keys(this.obj).filter((k) => !this.used.has(k)).map((k) => joinPath(this.path, k));
    return [...mine, ...this.children.flatMap((c) => c.unknownKeys())];
  }

  /** Finish: unknown keys become problems unless `unknownKeys: 'ignore'`. */
  done<T>(value: T, opts: { unknownKeys?: 'error' | 'ignore' } = {}): Result<T, Problem[]> {
    const problems = [...this.problems];
    if (opts.unknownKeys !== 'ignore') {
      for (const p of this.unknownKeys()) problems.push({ path: p, message: 'unknown key' });
    }
    return problems.length ? err(problems) : ok(value);
  }
}

/** Read a whole config: build the value with `build`, then report every problem at once. */
export function readConfig<T>(
  input: unknown,
  build: (r: ConfigReader) => T,
  opts: ReaderOptions & { unknownKeys?: 'error' | 'ignore' } = {},
): Result<T, Problem[]> {
  const r = new ConfigReader(input, opts);
  const value = build(r);
  return r.done(value, { unknownKeys: opts.unknownKeys });
}
