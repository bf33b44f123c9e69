// Python `str.format` as marathon-lb's templates use it: `{name}` replacement fields, `{{`/`}}` for
// literal braces, `{name[key]}` / `{name.attr}` lookups, `!s`/`!r` conversions and simple format
// specs (fill/align/width, e.g. `{port:>6}`). Values render like Python's str(): None, True/False,
// ints. A template that Python would reject (unknown field, positional `{}`, lone brace) is an
// error value naming the problem, never an exception. Parsed templates are cached by text, so
// formatting is a walk over literals and fields appending to one string.
// Pure.
import type { Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';

export type PyValue = string | number | boolean | null | undefined | readonly PyValue[] | { readonly [k: string]: PyValue };

interface Spec {
  readonly fill: string;
  readonly align: string;
  readonly width: number;
}
interface Field {
  readonly name: string;
  readonly path: readonly { readonly key: string; readonly index: boolean }[];
  readonly conv: string | undefined;
  /** Undefined for no spec; a string is the error Python raises when it reaches this field. */
  readonly spec: Spec | string | undefined;
}
/** A parsed template: lits[i] precedes fields[i]; lits has one more entry than fields. */
interface Compiled {
  readonly lits: readonly string[];
  readonly fields: readonly Field[];
}

/** A template error (unknown field, bad spec …); returned, never thrown. */
export class FormatError {
  constructor(readonly message: string) {}
}

const cache = new Map<string, Compiled | FormatError>();

/** Python str() of a value. */
export function pyStr(v: PyValue): string {
  if (v === undefined || v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  return pyRepr(v);
}

function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  return String(n);
}

/** Python repr() of a value (dicts and lists as Python prints them). */
export function pyRepr(v: PyValue): string {
  if (typeof v === 'string') return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return pyStr(v);
}

function parseField(body: string): Result<Field, string> {
  let rest = body;
  let spec: Spec | string | undefined;
  let conv: string | undefined;
  const colon = indexOutsideBrackets(rest, ':');
  if (colon >= 0) { spec = parseSpec(rest.slice(colon + 1)); rest = rest.slice(0, colon); }
  const bang = rest.indexOf('!');
  if (bang >= 0) {
    conv = rest.slice(bang + 1);
    rest = rest.slice(0, bang);
    if (conv !== 's' && conv !== 'r' && conv !== 'a') return err(`unknown conversion specifier '${conv}'`);
  }
  const m = /^([^.[]*)/.exec(rest);
  const name = m?.[1] ?? '';
  if (name === '' || /^\d+$/.test(name)) return err(`positional field '{${body}}' (templates take named fields only)`);
  const path: { key: string; index: boolean }[] = [];
  let tail = rest.slice(name.length);
  while (tail) {
    const a = /^\.([^.[]+)/.exec(tail);
    const i = /^\[([^\]]+)\]/.exec(tail);
    if (a) { path.push({ key: a[1]!, index: false }); tail = tail.slice(a[0].length); }
    else if (i) { path.push({ key: i[1]!, index: true }); tail = tail.slice(i[0].length); }
    else return err(`bad field '{${body}}'`);
  }
  return ok({ name, path, conv, spec });
}

function indexOutsideBrackets(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']') depth--;
    else if (s[i] === ch && depth === 0) return i;
  }
  return -1;
}

function parse(template: string): Compiled | FormatError {
  const lits: string[] = [];
  const fields: Field[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '{') {
      if (template[i + 1] === '{') { lit += '{'; i++; continue; }
      const end = template.indexOf('}', i + 1);
      if (end < 0) return new FormatError("single '{' encountered in format string");
      const body = template.slice(i + 1, end);
      if (body.includes('{')) return new FormatError(`nested replacement field '{${body}}' is not supported`);
      const f = parseField(body);
      if (!f.ok) return new FormatError(f.error);
      lits.push(lit);
      lit = '';
      fields.push(f.value);
      i = end;
    } else if (c === '}') {
      if (template[i + 1] === '}') { lit += '}'; i++; continue; }
      return new FormatError("single '}' encountered in format string");
    } else lit += c;
  }
  lits.push(lit);
  return { lits, fields };
}

/** fill/align/width (e.g. `>6`, `_^9`); anything else is the error to raise when the field is reached. */
function parseSpec(spec: string): Spec | string | undefined {
  if (spec === '') return undefined;
  const m = /^(?:(.)?([<>^]))?(\d+)?$/.exec(spec);
  if (!m) return `unsupported format spec '${spec}'`;
  return { fill: m[1] ?? ' ', align: m[2] ?? '<', width: Number(m[3] ?? 0) };
}

function pad(s: string, spec: Spec): string {
  const n = Math.max(0, spec.width - s.length);
  if (spec.align === '<') return s + spec.fill.repeat(n);
  if (spec.align === '>') return spec.fill.repeat(n) + s;
  const left = Math.floor(n / 2);
  return spec.fill.repeat(left) + s + spec.fill.repeat(n - left);
}

function compiled(template: string): Compiled | FormatError {
  let c = cache.get(template);
  if (c === undefined) {
    c = parse(template);
    if (cache.size > 10_000) cache.clear();
    cache.set(template, c);
  }
  return c;
}

/** A field's value after its `.attr` / `[key]` steps, or the error Python would raise. */
function lookup(f: Field, values: Readonly<Record<string, PyValue>>): PyValue | FormatError {
  let v: PyValue = values[f.name];
  for (const step of f.path) {
    const container = v as unknown;
    if (step.index && Array.isArray(container) && /^\d+$/.test(step.key)) v = container[Number(step.key)] as PyValue;
    else if (typeof container === 'object' && container !== null && !Array.isArray(container) && Object.hasOwn(container, step.key)) {
      v = (container as Record<string, PyValue>)[step.key];
    } else return new FormatError(`template field '{${f.name}}' has no ${step.index ? `[${step.key}]` : `.${step.key}`}`);
    if (v === undefined) return new FormatError(`template field '{${f.name}}' has no ${step.key}`);
  }
  return v;
}

/**
 * Format `template` with named `values`, appending the pieces of the text to `out` (joined by the
 * caller, so a whole section becomes one flat string without intermediate strings). Returns the
 * first problem Python would raise, or undefined; after a problem `out` may hold part of the text.
 */
export function pyFormatInto(out: string[], template: string, values: Readonly<Record<string, PyValue>>): FormatError | undefined {
  const c = compiled(template);
  if (c instanceof FormatError) return c;
  const { lits, fields } = c;
  out.push(lits[0]!);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!Object.hasOwn(values, f.name)) return new FormatError(`unknown template field '{${f.name}}'`);
    const v = f.path.length === 0 ? values[f.name] : lookup(f, values);
    if (v instanceof FormatError) return v;
    let s = typeof v === 'string' && f.conv === undefined ? v : f.conv === 'r' || f.conv === 'a' ? pyRepr(v) : pyStr(v);
    if (f.spec !== undefined) {
      if (typeof f.spec === 'string') return new FormatError(f.spec);
      s = pad(s, f.spec);
    }
    out.push(s, lits[i + 1]!);
  }
  return undefined;
}

/** Format `template` with named `values`: the text, or the first problem Python would raise. */
export function pyFormatText(template: string, values: Readonly<Record<string, PyValue>>): string | FormatError {
  const c = compiled(template);
  if (!(c instanceof FormatError) && c.fields.length === 0) return c.lits[0]!;
  const parts: string[] = [];
  return pyFormatInto(parts, template, values) ?? parts.join('');
}

/** Format `template` with named `values`; an error names the first problem Python would raise. */
export function pyFormat(template: string, values: Readonly<Record<string, PyValue>>): Result<string, string> {
  const r = pyFormatText(template, values);
  return typeof r === 'string' ? ok(r) : err(r.message);
}
