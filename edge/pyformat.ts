// Python `str.format` as marathon-lb's templates use it: `{name}` replacement fields, `{{`/`}}` for
// literal braces, `{name[key]}` / `{name.attr}` lookups, `!s`/`!r` conversions and simple format
// specs (fill/align/width, e.g. `{port:>6}`). Values render like Python's str(): None, True/False,
// ints. A template that Python would reject (unknown field, positional `{}`, lone brace) is an
// error value naming the problem, never an exception. Parsed templates are cached by text.
// Pure.
import type { Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';

export type PyValue = string | number | boolean | null | undefined | readonly PyValue[] | { readonly [k: string]: PyValue };

interface Field {
  readonly name: string;
  readonly path: readonly { readonly key: string; readonly index: boolean }[];
  readonly conv: string | undefined;
  readonly spec: string;
}
type Part = string | Field;

const cache = new Map<string, Result<readonly Part[], string>>();

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
  let spec = '';
  let conv: string | undefined;
  const colon = indexOutsideBrackets(rest, ':');
  if (colon >= 0) { spec = rest.slice(colon + 1); rest = rest.slice(0, colon); }
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

function parse(template: string): Result<readonly Part[], string> {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '{') {
      if (template[i + 1] === '{') { lit += '{'; i++; continue; }
      const end = template.indexOf('}', i + 1);
      if (end < 0) return err("single '{' encountered in format string");
      const body = template.slice(i + 1, end);
      if (body.includes('{')) return err(`nested replacement field '{${body}}' is not supported`);
      const f = parseField(body);
      if (!f.ok) return f;
      if (lit) { parts.push(lit); lit = ''; }
      parts.push(f.value);
      i = end;
    } else if (c === '}') {
      if (template[i + 1] === '}') { lit += '}'; i++; continue; }
      return err("single '}' encountered in format string");
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return ok(parts);
}

function applySpec(s: string, spec: string): Result<string, string> {
  if (spec === '') return ok(s);
  const m = /^(?:(.)?([<>^]))?(\d+)?$/.exec(spec);
  if (!m) return err(`unsupported format spec '${spec}'`);
  const fill = m[1] ?? ' ';
  const align = m[2] ?? '<';
  const width = Number(m[3] ?? 0);
  const pad = Math.max(0, width - s.length);
  if (align === '<') return ok(s + fill.repeat(pad));
  if (align === '>') return ok(fill.repeat(pad) + s);
  const left = Math.floor(pad / 2);
  return ok(fill.repeat(left) + s + fill.repeat(pad - left));
}

/** Format `template` with named `values`; an error names the first problem Python would raise. */
export function pyFormat(template: string, values: Readonly<Record<string, PyValue>>): Result<string, string> {
  let parsed = cache.get(template);
  if (!parsed) {
    parsed = parse(template);
    if (cache.size > 10_000) cache.clear();
    cache.set(template, parsed);
  }
  if (!parsed.ok) return parsed;
  const out: string[] = [];
  for (const p of parsed.value) {
    if (typeof p === 'string') { out.push(p); continue; }
    if (!Object.hasOwn(values, p.name)) return err(`unknown template field '{${p.name}}'`);
    let v: PyValue = values[p.name];
    for (const step of p.path) {
      const container = v as unknown;
      if (step.index && Array.isArray(container) && /^\d+$/.test(step.key)) v = container[Number(step.key)] as PyValue;
      else if (typeof container === 'object' && container !== null && !Array.isArray(container) && Object.hasOwn(container, step.key)) {
        v = (container as Record<string, PyValue>)[step.key];
      } else return err(`template field '{${p.name}}' has no ${step.index ? `[${step.key}]` : `.${step.key}`}`);
      if (v === undefined) return err(`template field '{${p.name}}' has no ${step.key}`);
    }
    const s = p.conv === 'r' || p.conv === 'a' ? pyRepr(v) : pyStr(v);
    if (p.spec === '') { out.push(s); continue; }
    const r = applySpec(s, p.spec);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out.join(''));
}
