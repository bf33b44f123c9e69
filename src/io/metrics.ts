// Counters, gauges and histograms rendered in the Prometheus text exposition format (0.0.4), for
// the /metrics endpoints of the daemons. Labels are given per observation, or bound once with
// `.labels({...})`. Names and label names are checked when a metric is created (a bad name is a
// programming error and throws); values are never checked against a schema at observation time.
export type Labels = Readonly<Record<string, string | number>>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function fmt(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}="${escapeLabel(String(labels[k]))}"`).join(',');
}
const withLabels = (name: string, key: string): string => (key ? `${name}{${key}}` : name);

abstract class Metric {
  protected readonly series = new Map<string, Labels>();
  constructor(readonly name: string, readonly help: string, readonly type: string) {
    if (!NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)}`);
  }
  protected key(labels: Labels): string {
    for (const k of Object.keys(labels)) if (!LABEL.test(k) || k === 'le') throw new Error(`bad label name ${JSON.stringify(k)} on ${this.name}`);
    const key = labelKey(labels);
    if (!this.series.has(key)) this.series.set(key, labels);
    return key;
  }
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
  /** Forget all series (e.g. labels of backends that are gone). */
  reset(): void {
    this.series.clear();
  }
}

export class Counter extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(n = 1, labels: Labels = {}): void {
    if (!(n >= 0)) throw new Error(`counter ${this.name} can only go up (got ${n})`);
    const k = this.key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + n);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  labels(labels: Labels): { inc(n?: number): void } {
    return { inc: (n = 1) => this.inc(n, labels) };
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${withLabels(this.name, k)} ${fmt(v)}`);
  }
  override reset(): void {
    super.reset();
    this.values.clear();
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(v: number, labels: Labels = {}): void {
    this.values.set(this.key(labels), v);
  }
  inc(n = 1, labels: Labels = {}): void {
    const k = this.key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + n);
  }
  dec(n = 1, labels: Labels = {}): void {
    this.inc(-n, labels);
  }
  get(labels: Labels = {}): number | undefined {
    return this.values.get(labelKey(labels));
  }
  labels(labels: Labels): { set(v: number): void; inc(n?: number): void; dec(n?: number): void } {
    return { set: (v) => this.set(v, labels), inc: (n = 1) => this.inc(n, labels), dec: (n = 1) => this.dec(n, labels) };
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${withLabels(this.name, k)} ${fmt(v)}`);
  }
  override reset(): void {
    super.reset();
    this.values.clear();
  }
}

/** Default buckets, in seconds: 0.5 ms … 10 s (latencies of DNS answers, rule syncs, reloads). */
export const DEFAULT_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface HistogramData { counts: number[]; sum: number; count: number }

export class Histogram extends Metric {
  private readonly data = new Map<string, HistogramData>();
  readonly buckets: readonly number[];
  constructor(name: string, help: string, buckets: readonly number[] = DEFAULT_BUCKETS) {
    super(name, help, 'histogram');
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`histogram ${name}: buckets must be distinct finite numbers`);
    }
    this.buckets = sorted;
  }
  observe(v: number, labels: Labels = {}): void {
    const k = this.key(labels);
    let d = this.data.get(k);
    if (!d) this.data.set(k, (d = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const i = this.buckets.findIndex((b) => v <= b);
    if (i >= 0) d.counts[i] = (d.counts[i] ?? 0) + 1;
    d.sum += v;
    d.count += 1;
  }
  labels(labels: Labels): { observe(v: number): void } {
    return { observe: (v) => this.observe(v, labels) };
  }
  /** Count and sum for one label set (for tests and status pages). */
  get(labels: Labels = {}): { count: number; sum: number } | undefined {
    const d = this.data.get(labelKey(labels));
    return d && { count: d.count, sum: d.sum };
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, d] of this.data) {
      const le = (b: string): string => (k ? `${k},le="${b}"` : `le="${b}"`);
      let cum = 0;
      this.buckets.forEach((b, i) => {
        cum += d.counts[i] ?? 0;
        out.push(`${this.name}_bucket{${le(fmt(b))}} ${cum}`);
      });
      out.push(`${this.name}_bucket{${le('+Inf')}} ${d.count}`);
      out.push(`${withLabels(`${this.name}_sum`, k)} ${fmt(d.sum)}`);
      out.push(`${withLabels(`${this.name}_count`, k)} ${d.count}`);
    }
    return out;
  }
  override reset(): void {
    super.reset();
    this.data.clear();
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors: (() => void)[] = [];

  private add<M extends Metric>(m: M): M {
    const old = this.metrics.get(m.name);
    if (old) {
      if (old.type !== m.type) throw new Error(`metric ${m.name} already registered as a ${old.type}`);
      return old as M;
    }
    this.metrics.set(m.name, m);
    return m;
  }
  /** Registering the same name twice returns the first metric. */
  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }
  /** Run `fn` before each render (to set gauges from current state). */
  onCollect(fn: () => void): void {
    this.collectors.push(fn);
  }
  /** The exposition text (Content-Type: text/plain; version=0.0.4). */
  render(): string {
    for (const c of this.collectors) c();
    const blocks = [...this.metrics.values()].map((m) => m.render());
    return blocks.length ? `${blocks.join('\n')}\n` : '';
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
