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

/** One (reservation, name) amount: scalar thousandths and/or ranges. Entries are immutable and shared. */
interface Entry { readonly k: string; readonly n: string; readonly s: number; readonly r: readonly Range[] | undefined }

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
/** Entry order: unreserved first, then reservation key, then name. */
function cmp(a: Entry, b: Entry): number {
  if (a.k !== b.k) return a.k === UNRESERVED ? -1 : b.k === UNRESERVED ? 1 : a.k < b.k ? -1 : 1;
  return a.n === b.n ? 0 : a.n < b.n ? -1 : 1;
}
const nonEmpty = (e: Entry): boolean => e.s > 0 || (e.r !== undefined && e.r.length > 0);

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

/** An immutable resource vector (sorted entries). Build with parse/fromV1/of; combine with add/subtract. */
export class Resources {
  static readonly EMPTY = new Resources([]);
  private q: Map<string, number> | undefined;
  private qr: Map<string, number> | undefined;
  private constructor(private readonly e: readonly Entry[]) {}

  /** Scalars in natural units (`{cpus: 2, mem: 1024}`) and optional ports, unreserved or reserved. */
  static of(scalars: Readonly<Record<string, number>>, reservation: Reservation | string = UNRESERVED, ports?: readonly Range[]): Resources {
    const k = keyOf(reservation);
    const out: Entry[] = Object.entries(scalars).map(([n, v]) => ({ k, n, s: toMilli(v), r: undefined }));
    if (ports && ports.length) out.push({ k, n: 'ports', s: 0, r: normalize([...ports]) });
    return Resources.build(out);
  }
  /** Sort and merge loose entries (same key+name summed). */
  private static build(entries: Entry[]): Resources {
    const sorted = entries.filter(nonEmpty).sort(cmp);
    const out: Entry[] = [];
    for (const x of sorted) {
      const last = out[out.length - 1];
      if (last && cmp(last, x) === 0) out[out.length - 1] = sum(last, x);
      else out.push(x);
    }
    return new Resources(out);
  }

  /** Parse the Mesos text form `cpus:4;mem:8192;ports:[31000-32000];cpus(role):2`. Reports every problem. */
  static parse(text: string, opts: { defaultRole?: string; allowUnknown?: boolean; path?: string } = {}): Result<Resources> {
    const problems: Problem[] = [];
    const path = opts.path ?? 'resources';
    const out: Entry[] = [];
    for (const part of text.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
      const m = /^([A-Za-z_][\w.-]*)(?:\(([^()]+)\))?\s*:\s*(.+)$/.exec(part);
      if (!m) { problems.push({ path, message: `cannot parse '${part}' (want name:value or name(role):value)` }); continue; }
      const [, n = '', k = opts.defaultRole ?? UNRESERVED, value = ''] = m;
      const where = `${path}.${n}`;
      if (!opts.allowUnknown && !KNOWN_NAMES.includes(n)) { problems.push({ path: where, message: `unknown resource '${n}'` }); continue; }
      if (!/^[^\s/][^\s]*$/.test(k) || k.endsWith('/')) { problems.push({ path: where, message: `invalid role '${k}'` }); continue; }
      if (value.startsWith('[')) {
        const rs = parseRanges(value, where, problems);
        if (!rs) continue;
        if (out.some((x) => x.k === k && x.n === n && x.s > 0)) { problems.push({ path: where, message: `'${n}' is both a scalar and ranges` }); continue; }
        if (out.some((x) => x.k === k && x.n === n && (x.r ?? []).some((a) => rs.some((b) => b.begin <= a.end && a.begin <= b.end)))) {
          problems.push({ path: where, message: 'ranges overlap' }); continue;
        }
        out.push({ k, n, s: 0, r: rs });
      } else {
        if (n === 'ports') { problems.push({ path: where, message: `'${value}' is not a range list like [31000-32000]` }); continue; }
        const v = Number(value);
        if (!/^[0-9.eE+-]+$/.test(value) || !Number.isFinite(v)) { problems.push({ path: where, message: `'${value}' is not a number` }); continue; }
        if (v < 0) { problems.push({ path: where, message: `negative amount ${v}` }); continue; }
        if (out.some((x) => x.k === k && x.n === n && x.r)) { problems.push({ path: where, message: `'${n}' is both a scalar and ranges` }); continue; }
        out.push({ k, n, s: toMilli(v), r: undefined });
      }
    }
    return problems.length ? err(problems) : ok(Resources.build(out));
  }

  /** Accept a Mesos v1 Resource array (also the pre-1.4 `role` + `reservation` form). */
  static fromV1(json: unknown, opts: { allowUnknown?: boolean; path?: string } = {}): Result<Resources> {
    const path = opts.path ?? 'resources';
    if (!Array.isArray(json)) return err([{ path, message: 'expected an array of Resource objects' }]);
    const problems: Problem[] = [];
    const out: Entry[] = [];
    json.forEach((r: unknown, i) => {
      const where = `${path}[${i}]`;
      const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, any>;
      const n = o['name'];
      if (typeof n !== 'string' || !n) { problems.push({ path: `${where}.name`, message: 'missing name' }); return; }
      if (!opts.allowUnknown && !KNOWN_NAMES.includes(n)) { problems.push({ path: `${where}.name`, message: `unknown resource '${n}'` }); return; }
      let res: Reservation | string = UNRESERVED;
      const rsv = Array.isArray(o['reservations']) ? o['reservations'][o['reservations'].length - 1] : undefined;
      if (rsv && typeof rsv.role === 'string') res = { role: rsv.role, type: rsv.type === 'STATIC' ? 'STATIC' : 'DYNAMIC', principal: rsv.principal };
      else if (typeof o['role'] === 'string' && o['role'] !== UNRESERVED) {
        res = o['reservation'] ? { role: o['role'], type: 'DYNAMIC', principal: o['reservation'].principal } : o['role'];
      }
      const k = keyOf(res);
      if (o['type'] === 'SCALAR' || (o['type'] === undefined && o['scalar'])) {
        const v = o['scalar']?.value;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) { problems.push({ path: `${where}.scalar.value`, message: 'must be a non-negative number' }); return; }
        out.push({ k, n, s: toMilli(v), r: undefined });
      } else if (o['type'] === 'RANGES' || (o['type'] === undefined && o['ranges'])) {
        const list = o['ranges']?.range;
        if (!Array.isArray(list) || !list.every((x: any) => Number.isInteger(x?.begin) && Number.isInteger(x?.end) && x.begin >= 0 && x.begin <= x.end)) {
          problems.push({ path: `${where}.ranges`, message: 'expected {range:[{begin,end}]} with 0 ≤ begin ≤ end' }); return;
        }
        out.push({ k, n, s: 0, r: normalize(list.map((x: any) => ({ begin: x.begin, end: x.end }))) });
      } else problems.push({ path: `${where}.type`, message: `unsupported type '${String(o['type'])}'` });
    });
    return problems.length ? err(problems) : ok(Resources.build(out));
  }

  isEmpty(): boolean { return this.e.length === 0; }

  add(o: Resources): Resources {
    if (o.e.length === 0) return this;
    if (this.e.length === 0) return o;
    const a = this.e, b = o.e, out: Entry[] = [];
    let i = 0, j = 0;
    while (i < a.length || j < b.length) {
      const x = a[i], y = b[j];
      const c = !x ? 1 : !y ? -1 : cmp(x, y);
      if (c < 0) { out.push(x as Entry); i++; } else if (c > 0) { out.push(y as Entry); j++; } else { out.push(sum(x as Entry, y as Entry)); i++; j++; }
    }
    return new Resources(out);
  }

  /** this − o, clamped: amounts never go below zero and ranges not held are ignored. */
  subtract(o: Resources): Resources {
    if (o.e.length === 0 || this.e.length === 0) return this;
    const a = this.e, b = o.e, out: Entry[] = [];
    let j = 0;
    for (const x of a) {
      while (j < b.length && cmp(b[j] as Entry, x) < 0) j++;
      const y = b[j];
      if (!y || cmp(y, x) !== 0) { out.push(x); continue; }
      const d: Entry = { k: x.k, n: x.n, s: Math.max(0, x.s - y.s), r: x.r && y.r ? subtractRanges(x.r, y.r) : x.r };
      if (nonEmpty(d)) out.push(d);
    }
    return new Resources(out);
  }

  /** Does this hold everything in `o` (same reservations)? */
  contains(o: Resources): boolean {
    const a = this.e;
    let i = 0;
    for (const y of o.e) {
      while (i < a.length && cmp(a[i] as Entry, y) < 0) i++;
      const x = a[i];
      if (!x || cmp(x, y) !== 0 || x.s < y.s) return false;
      if (y.r && !rangesContain(x.r ?? [], y.r)) return false;
    }
    return true;
  }
  equals(o: Resources): boolean { return this.contains(o) && o.contains(this); }

  /** Keep the entries whose reservation key passes `keep`. */
  private filterKeys(keep: (key: string) => boolean): Resources {
    if (this.e.every((x) => keep(x.k))) return this;
    return new Resources(this.e.filter((x) => keep(x.k)));
  }
  unreserved(): Resources { return this.filterKeys((k) => k === UNRESERVED); }
  /** Reserved resources: all of them, or only those reserved exactly to `role`. */
  reserved(role?: string): Resources { return this.filterKeys((k) => k !== UNRESERVED && (role === undefined || roleOfKey(k) === role)); }
  /** Reserved to `role` or any of its descendants (counts toward that role's quota consumption). */
  reservedWithin(role: string): Resources { return this.filterKeys((k) => k !== UNRESERVED && roleCovers(role, roleOfKey(k))); }
  /** What a framework in `role` may be offered: unreserved plus reservations to `role` or its ancestors. */
  allocatableTo(role: string): Resources { return this.filterKeys((k) => k === UNRESERVED || roleCovers(roleOfKey(k), role)); }
  /** Reservation of each distinct reservation present (undefined = unreserved). */
  reservations(): Array<Reservation | undefined> { return [...new Set(this.e.map((x) => x.k))].map(reservationOf); }

  scalarsOnly(): Resources {
    if (this.e.every((x) => !x.r)) return this;
    return new Resources(this.e.filter((x) => x.s > 0).map((x) => (x.r ? { k: x.k, n: x.n, s: x.s, r: undefined } : x)));
  }
  nonScalars(): Resources {
    if (this.e.every((x) => x.r && x.s === 0)) return this;
    return new Resources(this.e.filter((x) => x.r).map((x) => (x.s ? { k: x.k, n: x.n, s: 0, r: x.r } : x)));
  }

  /** Sum of a scalar over every reservation, natural units. */
  scalar(name: string): number { return fromMilli(this.quantities().get(name) ?? 0); }
  /** Union of a range resource over every reservation. */
  ranges(name: string): Range[] { return normalize(this.e.flatMap((x) => (x.n === name && x.r ? x.r : []))); }

  /** Scalar quantities (thousandths) summed over reservations, plus range element counts when `withRanges`.
   * Cached: callers must not modify the returned map. */
  quantities(withRanges = false): Quantities {
    const cached = withRanges ? this.qr : this.q;
    if (cached) return cached;
    const q = new Map<string, number>();
    for (const x of this.e) {
      const v = x.s + (withRanges && x.r ? rangeCount(x.r) * 1000 : 0);
      if (v > 0) q.set(x.n, (q.get(x.n) ?? 0) + v);
    }
    if (withRanges) this.qr = q; else this.q = q;
    return q;
  }

  /** Cut scalars down to `target` quantities (names missing from target are dropped); ranges untouched. */
  shrink(target: Quantities): Resources {
    const left = new Map(target);
    const out: Entry[] = [];
    for (const x of this.e) {
      const t = left.get(x.n) ?? 0;
      const take = Math.min(x.s, t);
      if (take > 0) left.set(x.n, t - take);
      if (take > 0 || x.r) out.push(take === x.s ? x : { k: x.k, n: x.n, s: take, r: x.r });
    }
    return new Resources(out);
  }

  /** v0 summary (`/master/state`): cpus/gpus/mem/disk always present, ports as "[a-b, c-d]". */
  toSummary(): Summary {
    const out: Summary = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
    for (const [n, v] of this.quantities()) out[n] = fromMilli(v);
    for (const n of new Set(this.e.filter((x) => x.r).map((x) => x.n))) out[n] = formatRanges(this.ranges(n));
    return out;
  }
  /** v0 `reserved_resources`: role → summary. */
  toReservedSummaries(): Record<string, Summary> {
    const out: Record<string, Summary> = {};
    const roles = new Set(this.e.filter((x) => x.k !== UNRESERVED).map((x) => roleOfKey(x.k)));
    for (const role of [...roles].sort()) out[role] = this.reserved(role).toSummary();
    return out;
  }
  /** v1 Resource array (operator API, `/master/reserve` bodies). */
  toV1(): V1Resource[] {
    return this.e.flatMap((x) => {
      const rsv = reservationOf(x.k);
      const extra = rsv ? { reservations: [rsv.principal === undefined ? { type: rsv.type, role: rsv.role } : { type: rsv.type, role: rsv.role, principal: rsv.principal }] } : {};
      const out: V1Resource[] = [];
      if (x.s > 0) out.push({ name: x.n, type: 'SCALAR', scalar: { value: fromMilli(x.s) }, ...extra });
      if (x.r) out.push({ name: x.n, type: 'RANGES', ranges: { range: x.r.map((r) => ({ begin: r.begin, end: r.end })) }, ...extra });
      return out;
    });
  }
  /** Mesos text form; dynamic reservations print as their role. */
  toString(): string {
    return this.e.flatMap((x) => {
      const tag = x.k === UNRESERVED ? '' : `(${roleOfKey(x.k)})`;
      const out: string[] = [];
      if (x.s > 0) out.push(`${x.n}${tag}:${fromMilli(x.s)}`);
      if (x.r) out.push(`${x.n}${tag}:${formatRanges(x.r)}`);
      return out;
    }).join(';');
  }
}

function sum(a: Entry, b: Entry): Entry {
  return { k: a.k, n: a.n, s: a.s + b.s, r: a.r && b.r ? normalize([...a.r, ...b.r]) : a.r ?? b.r };
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
