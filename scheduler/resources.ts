// Resource vectors for the master and the allocator: scalars (cpus, mem, disk, gpus…) held as integer
// thousandths (Mesos' fixed-point 0.001 granularity, so sums never drift), range resources (ports) as
// sorted, merged inclusive ranges, and both grouped by reservation: unreserved (`*`), statically reserved
// to a role (`cpus(ads):2`) or dynamically reserved (RESERVE operation, with a principal).
// This file is longer than the house limit because it is the whole codec (Mesos text form, v1 Resource
// arrays, v0 summaries) plus the arithmetic; splitting it would scatter one data type. Pure.
import { err, ok, type Problem, type Result } from '../src/kernel/errors.js';

/** Inclusive range, e.g. ports [31000-32000]. */
export interface Range { readonly begin: number; readonly end: number }
/** Scalar name → amount in thousandths (cpus 0.5 → 500). Range resources count their elements ×1000. */
export type Quantities = ReadonlyMap<string, number>;
export interface Reservation { readonly role: string; readonly type: 'STATIC' | 'DYNAMIC'; readonly principal?: string }
/** Mesos v1 `Resource` JSON (the subset we emit and accept). */
export interface V1Resource {
  name: string; type: 'SCALAR' | 'RANGES';
  scalar?: { value: number }; ranges?: { range: Array<{ begin: number; end: number }> };
  role?: string; reservations?: Array<{ type: 'STATIC' | 'DYNAMIC'; role: string; principal?: string }>;
}
/** Mesos v0 summary (`/master/state` resources): numbers, ports as "[a-b, c-d]". */
export type Summary = { cpus: number; gpus: number; mem: number; disk: number; [name: string]: number | string };

export const UNRESERVED = '*';
export const KNOWN_NAMES: readonly string[] = ['cpus', 'mem', 'disk', 'gpus', 'ports'];
const DYN = '\u0001';

export const toMilli = (v: number): number => Math.round(v * 1000);
export const fromMilli = (m: number): number => m / 1000;

/** Is `ancestor` equal to `role` or one of its ancestors in the role tree (`a` for `a/b`)? */
export function roleCovers(ancestor: string, role: string): boolean {
  return ancestor === role || (role.length > ancestor.length && role.startsWith(ancestor) && role[ancestor.length] === '/');
}

interface Pool { readonly s: Map<string, number>; readonly r: Map<string, Range[]> }
const newPool = (): Pool => ({ s: new Map(), r: new Map() });

function keyOf(res: Reservation | string): string {
  if (typeof res === 'string') return res;
  return res.type === 'DYNAMIC' ? `${res.role}${DYN}${res.principal ?? ''}` : res.role;
}
function reservationOf(key: string): Reservation | undefined {
  if (key === UNRESERVED) return undefined;
  const i = key.indexOf(DYN);
  if (i < 0) return { role: key, type: 'STATIC' };
  const principal = key.slice(i + 1);
  return principal ? { role: key.slice(0, i), type: 'DYNAMIC', principal } : { role: key.slice(0, i), type: 'DYNAMIC' };
}
const roleOfKey = (key: string): string => { const i = key.indexOf(DYN); return i < 0 ? key : key.slice(0, i); };

// ---- range arithmetic on sorted, merged lists ----
function normalize(rs: Range[]): Range[] {
  const s = [...rs].sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) { if (r.end > last.end) out[out.length - 1] = { begin: last.begin, end: r.end }; }
    else out.push({ begin: r.begin, end: r.end });
  }
  return out;
}
function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  let cur: Range[] = [...a];
  for (const x of b) {
    const next: Range[] = [];
    for (const r of cur) {
      if (x.end < r.begin || x.begin > r.end) { next.push(r); continue; }
      if (x.begin > r.begin) next.push({ begin: r.begin, end: x.begin - 1 });
      if (x.end < r.end) next.push({ begin: x.end + 1, end: r.end });
    }
    cur = next;
  }
  return cur;
}
const rangesContain = (a: readonly Range[], b: readonly Range[]): boolean =>
  b.every((x) => a.some((r) => r.begin <= x.begin && x.end <= r.end));
const rangeCount = (rs: readonly Range[]): number => rs.reduce((n, r) => n + r.end - r.begin + 1, 0);
export const formatRanges = (rs: readonly Range[]): string => `[${rs.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;

/** An immutable resource vector. Build with parse/fromV1/of; combine with add/subtract. */
export class Resources {
  static readonly EMPTY = new Resources(new Map());
  private constructor(private readonly pools: ReadonlyMap<string, Pool>) {}

  /** Scalars in natural units (`{cpus: 2, mem: 1024}`) and optional ports, unreserved or reserved. */
  static of(scalars: Readonly<Record<string, number>>, reservation: Reservation | string = UNRESERVED, ports?: readonly Range[]): Resources {
    const p = newPool();
    for (const [n, v] of Object.entries(scalars)) { const m = toMilli(v); if (m > 0) p.s.set(n, m); }
    if (ports && ports.length) p.r.set('ports', normalize([...ports]));
    return new Resources(new Map([[keyOf(reservation), p]])).compact();
  }

  /** Parse the Mesos text form `cpus:4;mem:8192;ports:[31000-32000];cpus(role):2`. Reports every problem. */
  static parse(text: string, opts: { defaultRole?: string; allowUnknown?: boolean; path?: string } = {}): Result<Resources> {
    const problems: Problem[] = [];
    const path = opts.path ?? 'resources';
    const pools = new Map<string, Pool>();
    const parts = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
    for (const part of parts) {
      const m = /^([A-Za-z_][\w.-]*)(?:\(([^()]+)\))?\s*:\s*(.+)$/.exec(part);
      if (!m) { problems.push({ path, message: `cannot parse '${part}' (want name:value or name(role):value)` }); continue; }
      const [, name = '', role = opts.defaultRole ?? UNRESERVED, value = ''] = m;
      const where = `${path}.${name}`;
      if (!opts.allowUnknown && !KNOWN_NAMES.includes(name)) { problems.push({ path: where, message: `unknown resource '${name}'` }); continue; }
      if (!/^[^\s/][^\s]*$/.test(role) || role.endsWith('/')) { problems.push({ path: where, message: `invalid role '${role}'` }); continue; }
      const pool = pools.get(role) ?? newPool();
      pools.set(role, pool);
      if (value.startsWith('[')) {
        const rs = parseRanges(value, where, problems);
        if (!rs) continue;
        const prev = pool.r.get(name) ?? [];
        if (prev.some((a) => rs.some((b) => b.begin <= a.end && a.begin <= b.end))) { problems.push({ path: where, message: 'ranges overlap' }); continue; }
        pool.r.set(name, normalize([...prev, ...rs]));
      } else {
        if (name === 'ports') { problems.push({ path: where, message: `'${value}' is not a range list like [31000-32000]` }); continue; }
        const v = Number(value);
        if (!/^[0-9.eE+-]+$/.test(value) || !Number.isFinite(v)) { problems.push({ path: where, message: `'${value}' is not a number` }); continue; }
        if (v < 0) { problems.push({ path: where, message: `negative amount ${v}` }); continue; }
        pool.s.set(name, (pool.s.get(name) ?? 0) + toMilli(v));
      }
    }
    return problems.length ? err(problems) : ok(new Resources(pools).compact());
  }

  /** Accept a Mesos v1 Resource array (also the pre-1.4 `role` + `reservation` form). */
  static fromV1(json: unknown, opts: { allowUnknown?: boolean; path?: string } = {}): Result<Resources> {
    const path = opts.path ?? 'resources';
    if (!Array.isArray(json)) return err([{ path, message: 'expected an array of Resource objects' }]);
    const problems: Problem[] = [];
    let acc = Resources.EMPTY;
    json.forEach((r: unknown, i) => {
      const where = `${path}[${i}]`;
      const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, any>;
      const name = o['name'];
      if (typeof name !== 'string' || !name) { problems.push({ path: `${where}.name`, message: 'missing name' }); return; }
      if (!opts.allowUnknown && !KNOWN_NAMES.includes(name)) { problems.push({ path: `${where}.name`, message: `unknown resource '${name}'` }); return; }
      let res: Reservation | string = UNRESERVED;
      const rsv = Array.isArray(o['reservations']) ? o['reservations'][o['reservations'].length - 1] : undefined;
      if (rsv && typeof rsv.role === 'string') res = { role: rsv.role, type: rsv.type === 'STATIC' ? 'STATIC' : 'DYNAMIC', principal: rsv.principal };
      else if (typeof o['role'] === 'string' && o['role'] !== UNRESERVED) {
        res = o['reservation'] ? { role: o['role'], type: 'DYNAMIC', principal: o['reservation'].principal } : o['role'];
      }
      if (o['type'] === 'SCALAR' || (o['type'] === undefined && o['scalar'])) {
        const v = o['scalar']?.value;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) { problems.push({ path: `${where}.scalar.value`, message: 'must be a non-negative number' }); return; }
        acc = acc.add(Resources.of({ [name]: v }, res));
      } else if (o['type'] === 'RANGES' || (o['type'] === undefined && o['ranges'])) {
        const list = o['ranges']?.range;
        if (!Array.isArray(list) || !list.every((x: any) => Number.isInteger(x?.begin) && Number.isInteger(x?.end) && x.begin >= 0 && x.begin <= x.end)) {
          problems.push({ path: `${where}.ranges`, message: 'expected {range:[{begin,end}]} with 0 ≤ begin ≤ end' }); return;
        }
        const p = newPool(); p.r.set(name, normalize(list.map((x: any) => ({ begin: x.begin, end: x.end }))));
        acc = acc.add(new Resources(new Map([[keyOf(res), p]])));
      } else problems.push({ path: `${where}.type`, message: `unsupported type '${String(o['type'])}'` });
    });
    return problems.length ? err(problems) : ok(acc);
  }

  isEmpty(): boolean { return this.pools.size === 0; }

  add(o: Resources): Resources {
    if (o.pools.size === 0) return this;
    if (this.pools.size === 0) return o;
    const out = this.clonePools();
    for (const [k, p] of o.pools) {
      const q = out.get(k) ?? newPool(); out.set(k, q);
      for (const [n, v] of p.s) q.s.set(n, (q.s.get(n) ?? 0) + v);
      for (const [n, rs] of p.r) q.r.set(n, normalize([...(q.r.get(n) ?? []), ...rs]));
    }
    return new Resources(out);
  }

  /** this − o, clamped: amounts never go below zero and ranges not held are ignored. */
  subtract(o: Resources): Resources {
    if (o.pools.size === 0 || this.pools.size === 0) return this;
    const out = this.clonePools();
    for (const [k, p] of o.pools) {
      const q = out.get(k);
      if (!q) continue;
      for (const [n, v] of p.s) q.s.set(n, Math.max(0, (q.s.get(n) ?? 0) - v));
      for (const [n, rs] of p.r) { const cur = q.r.get(n); if (cur) q.r.set(n, subtractRanges(cur, rs)); }
    }
    return new Resources(out).compact();
  }

  /** Does this hold everything in `o` (same reservations)? */
  contains(o: Resources): boolean {
    for (const [k, p] of o.pools) {
      const q = this.pools.get(k);
      if (!q) return false;
      for (const [n, v] of p.s) if ((q.s.get(n) ?? 0) < v) return false;
      for (const [n, rs] of p.r) if (!rangesContain(q.r.get(n) ?? [], rs)) return false;
    }
    return true;
  }
  equals(o: Resources): boolean { return this.contains(o) && o.contains(this); }

  /** Keep the pools whose reservation key passes `keep` (role for static/unreserved, role+principal for dynamic). */
  private filterPools(keep: (key: string) => boolean): Resources {
    const out = new Map<string, Pool>();
    for (const [k, p] of this.pools) if (keep(k)) out.set(k, p);
    return out.size === this.pools.size ? this : new Resources(out);
  }
  unreserved(): Resources { return this.filterPools((k) => k === UNRESERVED); }
  /** Reserved resources: all of them, or only those reserved exactly to `role`. */
  reserved(role?: string): Resources { return this.filterPools((k) => k !== UNRESERVED && (role === undefined || roleOfKey(k) === role)); }
  /** Reserved to `role` or any of its descendants (counts toward that role's quota consumption). */
  reservedWithin(role: string): Resources { return this.filterPools((k) => k !== UNRESERVED && roleCovers(role, roleOfKey(k))); }
  /** What a framework in `role` may be offered: unreserved plus reservations to `role` or its ancestors. */
  allocatableTo(role: string): Resources { return this.filterPools((k) => k === UNRESERVED || roleCovers(roleOfKey(k), role)); }
  /** Reservation of each pool present (undefined = unreserved). */
  reservations(): Array<Reservation | undefined> { return [...this.pools.keys()].map(reservationOf); }

  scalarsOnly(): Resources { return this.mapPools((p) => ({ s: new Map(p.s), r: new Map() })); }
  nonScalars(): Resources { return this.mapPools((p) => ({ s: new Map(), r: new Map(p.r) })); }

  /** Sum of a scalar over every reservation, natural units. */
  scalar(name: string): number { let m = 0; for (const p of this.pools.values()) m += p.s.get(name) ?? 0; return fromMilli(m); }
  /** Union of a range resource over every reservation. */
  ranges(name: string): Range[] { return normalize([...this.pools.values()].flatMap((p) => p.r.get(name) ?? [])); }

  /** Scalar quantities (thousandths) summed over reservations, plus range element counts when `withRanges`. */
  quantities(withRanges = false): Map<string, number> {
    const q = new Map<string, number>();
    for (const p of this.pools.values()) {
      for (const [n, v] of p.s) q.set(n, (q.get(n) ?? 0) + v);
      if (withRanges) for (const [n, rs] of p.r) q.set(n, (q.get(n) ?? 0) + rangeCount(rs) * 1000);
    }
    return q;
  }

  /** Cut scalars down to `target` quantities (names missing from target are dropped); ranges untouched. */
  shrink(target: Quantities): Resources {
    const left = new Map(target);
    return this.mapPools((p) => {
      const s = new Map<string, number>();
      for (const [n, v] of p.s) { const t = left.get(n) ?? 0; const take = Math.min(v, t); if (take > 0) { s.set(n, take); left.set(n, t - take); } }
      return { s, r: new Map(p.r) };
    });
  }

  /** v0 summary (`/master/state`): cpus/gpus/mem/disk always present, ports as "[a-b, c-d]". */
  toSummary(): Summary {
    const out: Summary = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
    for (const [n, v] of this.quantities()) out[n] = fromMilli(v);
    const names = new Set([...this.pools.values()].flatMap((p) => [...p.r.keys()]));
    for (const n of names) out[n] = formatRanges(this.ranges(n));
    return out;
  }
  /** v0 `reserved_resources`: role → summary. */
  toReservedSummaries(): Record<string, Summary> {
    const out: Record<string, Summary> = {};
    const roles = new Set([...this.pools.keys()].filter((k) => k !== UNRESERVED).map(roleOfKey));
    for (const role of [...roles].sort()) out[role] = this.reserved(role).toSummary();
    return out;
  }
  /** v1 Resource array (operator API, `/master/reserve` bodies). */
  toV1(): V1Resource[] {
    const out: V1Resource[] = [];
    for (const [k, p] of this.sortedPools()) {
      const rsv = reservationOf(k);
      const extra = rsv ? { reservations: [rsv.principal === undefined ? { type: rsv.type, role: rsv.role } : { type: rsv.type, role: rsv.role, principal: rsv.principal }] } : {};
      for (const [n, v] of [...p.s].sort()) out.push({ name: n, type: 'SCALAR', scalar: { value: fromMilli(v) }, ...extra });
      for (const [n, rs] of [...p.r].sort()) out.push({ name: n, type: 'RANGES', ranges: { range: rs.map((r) => ({ ...r })) }, ...extra });
    }
    return out;
  }
  /** Mesos text form; dynamic reservations print as their role. */
  toString(): string {
    const parts: string[] = [];
    for (const [k, p] of this.sortedPools()) {
      const tag = k === UNRESERVED ? '' : `(${roleOfKey(k)})`;
      for (const [n, v] of [...p.s].sort()) parts.push(`${n}${tag}:${fromMilli(v)}`);
      for (const [n, rs] of [...p.r].sort()) parts.push(`${n}${tag}:${formatRanges(rs)}`);
    }
    return parts.join(';');
  }

  private sortedPools(): Array<[string, Pool]> { return [...this.pools].sort(([a], [b]) => (a === b ? 0 : a === UNRESERVED ? -1 : b === UNRESERVED ? 1 : a < b ? -1 : 1)); }
  private clonePools(): Map<string, Pool> {
    const out = new Map<string, Pool>();
    for (const [k, p] of this.pools) out.set(k, { s: new Map(p.s), r: new Map(p.r) });
    return out;
  }
  private mapPools(f: (p: Pool) => Pool): Resources { const out = new Map<string, Pool>(); for (const [k, p] of this.pools) out.set(k, f(p)); return new Resources(out).compact(); }
  /** Drop zero scalars, empty range lists and empty pools (so isEmpty/contains/equals are structural). */
  private compact(): Resources {
    for (const [k, p] of this.pools as Map<string, Pool>) {
      for (const [n, v] of p.s) if (v <= 0) p.s.delete(n);
      for (const [n, rs] of p.r) if (rs.length === 0) p.r.delete(n);
      if (p.s.size === 0 && p.r.size === 0) (this.pools as Map<string, Pool>).delete(k);
    }
    return this;
  }
}

function parseRanges(value: string, where: string, problems: Problem[]): Range[] | undefined {
  const m = /^\[(.*)\]$/.exec(value.trim());
  if (!m) { problems.push({ path: where, message: `'${value}' is not a range list like [31000-32000]` }); return undefined; }
  const out: Range[] = [];
  for (const piece of (m[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s)) {
    const r = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(piece);
    const begin = Number(r?.[1]); const end = r?.[2] === undefined ? begin : Number(r[2]);
    if (!r || end < begin) { problems.push({ path: where, message: `bad range '${piece}'` }); return undefined; }
    if (out.some((x) => begin <= x.end && x.begin <= end)) { problems.push({ path: where, message: `range '${piece}' overlaps another` }); return undefined; }
    out.push({ begin, end });
  }
  return normalize(out);
}

// ---- Quantities helpers (thousandths) ----
/** Quantities from natural units: quantities({cpus: 0.01}) → Map{cpus→10}. */
export function quantities(obj: Readonly<Record<string, number>>): Map<string, number> {
  const q = new Map<string, number>();
  for (const [n, v] of Object.entries(obj)) q.set(n, toMilli(v));
  return q;
}
export function addQ(a: Quantities, b: Quantities): Map<string, number> {
  const q = new Map(a); for (const [n, v] of b) q.set(n, (q.get(n) ?? 0) + v); return q;
}
/** a − b, clamped at 0 (names only in b are absent from the result). */
export function subQ(a: Quantities, b: Quantities): Map<string, number> {
  const q = new Map<string, number>(); for (const [n, v] of a) q.set(n, Math.max(0, v - (b.get(n) ?? 0))); return q;
}
/** Per-name minimum; a name missing from one side means "unbounded" on that side. */
export function minQ(a: Quantities, b: Quantities): Map<string, number> {
  const q = new Map(a); for (const [n, v] of b) q.set(n, Math.min(q.get(n) ?? Infinity, v)); return q;
}
export const containsQ = (a: Quantities, b: Quantities): boolean => [...b].every(([n, v]) => (a.get(n) ?? 0) >= v);
export const isEmptyQ = (a: Quantities): boolean => [...a.values()].every((v) => v <= 0);

/** Parse `cpus:0.01;mem:32` (one set; the `|` alternatives are split by the caller). */
export function parseQuantities(text: string, path = 'quantities'): Result<Map<string, number>> {
  const q = new Map<string, number>();
  const problems: Problem[] = [];
  for (const part of text.split(';').map((s) => s.trim()).filter((s) => s)) {
    const m = /^([A-Za-z_][\w.-]*)\s*:\s*([0-9.eE+]+)$/.exec(part);
    const v = Number(m?.[2]);
    if (!m || !Number.isFinite(v) || v < 0) problems.push({ path, message: `bad quantity '${part}'` });
    else q.set(m[1] ?? '', (q.get(m[1] ?? '') ?? 0) + toMilli(v));
  }
  return problems.length ? err(problems) : ok(q);
}
