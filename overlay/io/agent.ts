// The overlay agent: follows the master's `/overlay-master/state` (long-poll with ETag, or plain
// polling every `pollMs` against a master without long-poll), and reconciles the kernel on every
// change and every `reconcileMs`: desired → observe → plan → apply, silent when nothing changed.
// The last good master state is kept when the master is unreachable or answers garbage.
import type { OverlayConfig } from '../config.js';
import { desiredAgent, type Desired } from '../desired.js';
import { plan, render, describe } from '../plan.js';
import { parseMasterState, type Peer } from '../state.js';
import { renderNetworkConf } from '../cni-conf.js';
import { observe, apply } from './kernel.js';
import { applyOps } from '../model.js';
import type { Observed } from '../observed.js';
import type { Runner } from './exec.js';
import { writeFileAtomic, readText } from './files.js';

export interface AgentOptions {
  readonly config: OverlayConfig;
  readonly agentId: string;
  readonly underlayIp: string;
  /** Master base URL (http://host:port); undefined when state is pushed in with `setState`. */
  readonly master: string | undefined;
  readonly run: Runner;
  readonly reconcileMs?: number;
  readonly pollMs?: number;
  /** Long-poll wait per request, seconds (0 disables long-polling). */
  readonly waitS?: number;
  /** Register with the master when absent from its state. */
  readonly register?: boolean;
  /** Write `<cniConfDir>/<name>.conf` for the CNI plugin. */
  readonly writeCniConf?: boolean;
  readonly log?: (line: string) => void;
}

export interface AgentStatus {
  readonly self: Peer | undefined;
  readonly desired: Desired | undefined;
  readonly lastError: string | undefined;
  readonly lastChange: readonly string[];
  readonly reconciles: number;
  readonly changes: number;
}

export class OverlayAgent {
  private peers: Peer[] = [];
  private self: Peer | undefined;
  private desired: Desired | undefined;
  private lastError: string | undefined;
  private lastChange: string[] = [];
  private reconciles = 0;
  private changes = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private wantFull = false;
  private systemOk = false;
  private model: Observed | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private lastBody = '';
  private registeredAt = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly o: AgentOptions) {
    this.log = o.log ?? (() => undefined);
  }

  /** Reconcile now, then follow the master and reconcile periodically. */
  start(): void {
    void this.reconcile();
    if (this.o.master) void this.follow();
    const tick = () => { if (!this.stopped) { void this.reconcile(); this.timer = setTimeout(tick, this.o.reconcileMs ?? 30_000); } };
    this.timer = setTimeout(tick, this.o.reconcileMs ?? 30_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }

  status(): AgentStatus {
    return { self: this.self, desired: this.desired, lastError: this.lastError, lastChange: this.lastChange, reconciles: this.reconciles, changes: this.changes };
  }

  /** Take a master state body (from HTTP or pushed in-process); returns whether peers changed. */
  setState(body: unknown): boolean {
    const { peers, problems } = parseMasterState(body, this.o.config.name);
    for (const p of problems) this.log(`overlay-agent: master state ${p.path}: ${p.message}`);
    const self = peers.find((p) => p.id === this.o.agentId) ?? peers.find((p) => p.ip === this.o.underlayIp);
    const same = JSON.stringify([self, peers]) === JSON.stringify([this.self, this.peers]);
    this.peers = peers;
    this.self = self;
    return !same;
  }

  /**
   * One reconcile pass; concurrent calls coalesce into one more pass. A full pass also reads the nat
   * chain and IP forwarding; a peer-change pass (`full` false) trusts the last full pass for those,
   * as long as it succeeded.
   */
  reconcile(full = true): Promise<void> {
    this.wantFull ||= full;
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      do {
        this.again = false;
        const f = this.wantFull || !this.systemOk;
        this.wantFull = false;
        await this.pass(f).catch((e: unknown) => {
          this.systemOk = false;
          this.lastError = e instanceof Error ? e.message : String(e);
          this.log(`overlay-agent: ${this.lastError}`);
        });
      } while (this.again && !this.stopped);
    })().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(full: boolean): Promise<void> {
    this.reconciles++;
    const self = this.self;
    if (!self) {
      // No lease yet: nothing to program, but read the kernel now so that the pass that follows the
      // lease can plan against this model instead of reading it then (one round of processes less).
      if (full || !this.model) {
        this.model = await observe(this.o.run, this.o.config, { system: true });
        this.systemOk = true;
      }
      return;
    }
    const { desired, problems } = desiredAgent(this.o.config, { ...self, ip: this.o.underlayIp }, this.peers);
    for (const p of problems) this.log(`overlay-agent: ${p.path}: ${p.message}`);
    // Full pass: read the kernel. Peer-change pass: plan against the model of what was last applied
    // (kept only while every apply succeeded), so a new peer costs one ip and one bridge batch.
    let observed: Observed;
    if (full || !this.model) {
      observed = await observe(this.o.run, this.o.config, { nat: desired.nat !== undefined, system: full });
      if (!full && desired.nat) observed = { ...observed, nat: { chainExists: true, rules: desired.nat.rules, jumps: [desired.nat.jump] } };
    } else observed = this.model;
    this.model = undefined;
    const ops = plan(desired, observed);
    this.desired = desired;
    if (this.o.writeCniConf && this.o.config.mesosBridge) await this.writeConf(self);
    if (ops.length > 0) {
      this.lastChange = describe(ops);
      this.changes++;
      for (const line of this.lastChange) this.log(`overlay-agent: ${line}`);
      const t0 = Date.now();
      await apply(this.o.run, render(ops));
      this.log(`overlay-agent: applied ${ops.length} change(s) in ${Date.now() - t0} ms (${full ? 'full' : 'peer'} pass)`);
    }
    this.model = applyOps(observed, ops);
    if (full) this.systemOk = true;
    this.lastError = undefined;
  }

  private async writeConf(self: Peer): Promise<void> {
    const file = `${this.o.config.cniConfDir}/${this.o.config.name}.conf`;
    const text = renderNetworkConf(this.o.config, self.subnet);
    if ((await readText(file)) !== text) {
      await writeFileAtomic(file, text);
      this.log(`overlay-agent: wrote ${file}`);
    }
  }

  /** Follow the master: long-poll on its ETag; fall back to polling every pollMs. */
  private async follow(): Promise<void> {
    const base = (this.o.master ?? '').replace(/\/+$/, '');
    let etag = '';
    while (!this.stopped) {
      const started = Date.now();
      try {
        const wait = this.o.waitS ?? 25;
        const res = await fetch(`${base}/overlay-master/state${wait > 0 ? `?wait=${wait}` : ''}`, {
          headers: etag ? { 'if-none-match': etag, accept: 'application/json' } : { accept: 'application/json' },
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout((wait + 10) * 1000)]),
        });
        let pause = false;
        if (res.status === 200) {
          const text = await res.text();
          etag = res.headers.get('etag') ?? '';
          // The same body again means the master ignored the long-poll: poll at pollMs instead of spinning.
          if (text === this.lastBody) pause = true;
          else {
            this.lastBody = text;
            if (this.setState(JSON.parse(text))) {
              this.log(`overlay-agent: master state changed (${this.peers.length} agents)`);
              void this.reconcile(false);
            }
          }
          if (!this.self) await this.maybeRegister(base);
        } else if (res.status === 304) {
          pause = Date.now() - started < 50;
        } else {
          await res.body?.cancel();
          throw new Error(`master answered ${res.status}`);
        }
        if (pause) await this.sleep(this.o.pollMs ?? 1000);
      } catch (e) {
        if (this.stopped) return;
        this.lastError = `master ${base}: ${e instanceof Error ? e.message : String(e)}`;
        await this.sleep(this.o.pollMs ?? 1000);
      }
    }
  }

  private async maybeRegister(base: string): Promise<void> {
    if (!this.o.register || Date.now() - this.registeredAt < 5000) return;
    this.registeredAt = Date.now();
    const res = await fetch(`${base}/overlay-master/agents/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: this.o.agentId, ip: this.o.underlayIp }), signal: this.abort.signal,
    });
    const text = await res.text();
    if (!res.ok) this.log(`overlay-agent: registration refused (${res.status}): ${text}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
