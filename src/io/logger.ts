// A leveled logger writing one line per event to stderr, as key=value (logfmt) or JSON lines.
// Fields are structured (`log.info('zone swapped', { records: 12 })`); an Error field is rendered
// with its message and code. The sink and the clock are injectable so tests can read the lines.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every line (e.g. { room: 'dns' }). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly format?: 'kv' | 'json';
  /** Receives each line without the trailing newline. Default: process.stderr. */
  readonly sink?: (line: string) => void;
  readonly clock?: () => Date;
  readonly fields?: LogFields;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function parseLogLevel(text: string): LogLevel | undefined {
  const l = text.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(l) ? (l as LogLevel) : l === 'warning' ? 'warn' : undefined;
}

function plain(v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code;
    return code === undefined ? v.message : `${String(code)}: ${v.message}`;
  }
  if (typeof v === 'bigint') return v.toString();
  return v;
}

function kvValue(v: unknown): string {
  const p = plain(v);
  const s = typeof p === 'string' ? p : p === undefined ? 'undefined' : JSON.stringify(p) ?? String(p);
  return /^[^\s"=\\]+$/.test(s) ? s : JSON.stringify(s);
}

const kvKey = (k: string): string => k.replace(/[^A-Za-z0-9_.-]/g, '_') || '_';

export function formatLine(format: 'kv' | 'json', time: Date, level: LogLevel, msg: string, fields: LogFields): string {
  if (format === 'json') {
    const rec: Record<string, unknown> = { ts: time.toISOString(), level, msg };
    for (const [k, v] of Object.entries(fields)) if (!(k in rec)) rec[k] = plain(v);
    return JSON.stringify(rec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  const parts = [`ts=${time.toISOString()}`, `level=${level}`, `msg=${kvValue(msg)}`];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${kvKey(k)}=${kvValue(v)}`);
  return parts.join(' ');
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const format = opts.format ?? 'kv';
  const sink = opts.sink ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const clock = opts.clock ?? (() => new Date());
  const base = opts.fields ?? {};
  const enabled = (l: LogLevel): boolean => RANK[l] >= RANK[level];
  const emit = (l: LogLevel) => (msg: string, fields: LogFields = {}): void => {
    if (!enabled(l)) return;
    try {
      sink(formatLine(format, clock(), l, msg, { ...base, ...fields }));
    } catch {
      // A broken log sink must never take the daemon down.
    }
  };
  return {
    level,
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    enabled,
    child: (fields) => createLogger({ ...opts, level, format, sink, clock, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (for library defaults). */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => undefined });
