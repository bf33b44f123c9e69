// The edge daemon (`mesonet edge serve`): follows Marathon's /v2/events, collapses bursts of
// relevant events into one regeneration, resyncs fully every --resync-interval seconds and after
// every reconnect, and — only when the generated text changed — validates, installs and reloads
// HAProxy seamlessly. Apps whose part of the config HAProxy rejects are left out (traced through
// the blamed sections, else found by halving the app list) with a log line, a counter and an entry
// in the status the :9090 endpoints show; the rest is served. Any failure keeps the last good
// config running. A little longer than 250 lines because the sync loop (fetch, generate, check,
// exclude, install, reload) reads best as one unit.
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../src/io/logger.js';
import { Registry } from '../../src/io/metrics.js';
import type { MarathonApp } from '../../src/kernel/marathon.js';
import type { Skipped } from '../apps.js';
import type { EdgeConfig } from '../config.js';
import { generate, hostsToResolve, optionsFromConfig, type GenerateOptions, type Generated } from '../generate.js';
import { loadTemplates, type Templates, CIPHERS, globalDefaultOptions } from '../templates.js';
import { masterSocket, serveHead, stateDir, statsSocket } from '../serve-head.js';
import { blamedApps, blamedLines, fingerprints, firstBreaking, sectionsOf } from '../validate.js';
import { ConfigApplier, type Installed } from './apply.js';
import { cliCommand, HaproxyMaster } from './haproxy.js';
import { MarathonClient, RELEVANT_EVENTS } from './marathon.js';
import { HostResolver } from './resolve.js';
import { readTemplateFiles } from './templates-dir.js';
import { exec } from '../../src/io/exec.js';
import { atomicWrite } from '../../src/io/atomic-write.js';
import { EdgeMetrics } from './metrics.js';

export interface SyncReport {
  readonly reason: string;
  readonly changed: boolean;
  readonly reloaded: boolean;
  readonly skipped: readonly Skipped[];
  readonly error?: string;
}

export interface DaemonDeps {
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export class EdgeDaemon {
  readonly metrics = new Registry();
  readonly m = new EdgeMetrics(this.metrics);
  readonly marathon: MarathonClient;
  readonly haproxy: HaproxyMaster | undefined;
  readonly applier: ConfigApplier;
  private readonly templates: Templates;
  private readonly resolver: HostResolver;
  private readonly health = new Map<string, boolean>();
  /** Apps HAProxy rejected, by (deployment-group) id: left out again while their definition is unchanged. */
  private readonly rejected = new Map<string, { fingerprint: string; reason: string }>();
  private readonly stopCtl = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private resync: NodeJS.Timeout | undefined;
  private running: Promise<SyncReport> | undefined;
  private pending = false;
  last: SyncReport | undefined;

  constructor(readonly cfg: EdgeConfig, private readonly deps: DaemonDeps) {
    const log = deps.log;
    this.marathon = new MarathonClient({ urls: cfg.marathon, auth: cfg.authCredentials, log });
    this.applier = new ConfigApplier({ configFile: cfg.haproxyConfig, runDir: cfg.runDir, haproxyBin: cfg.haproxyBin,
      skipValidation: cfg.skipValidation, archiveVersions: cfg.archiveVersions });
    this.haproxy = cfg.command ? undefined : new HaproxyMaster({ bin: cfg.haproxyBin, configFile: cfg.haproxyConfig,
      masterSocket: masterSocket(cfg.runDir), pidFile: `${cfg.runDir}/haproxy.pid`, log, onExit: () => this.m.haproxyExits.inc() });
    this.templates = loadTemplates({ env: deps.env, files: readTemplateFiles(cfg.templatesDir), modern: !cfg.legacyDirectives,
      head: serveHead(cfg.runDir, globalDefaultOptions(deps.env.HAPROXY_GLOBAL_DEFAULT_OPTIONS), CIPHERS) });
    this.resolver = new HostResolver(cfg.lruCacheCapacity);
  }

  private genOptions(exclude: ReadonlyMap<string, string>): GenerateOptions {
    return optionsFromConfig(this.cfg, exclude);
  }

  async start(): Promise<void> {
    mkdirSync(stateDir(this.cfg.runDir), { recursive: true });
    const first = await this.sync('start');
    if (this.haproxy && this.haproxy.pid === undefined) {
      // Marathon unreachable at start, or nothing changed on disk: run what is on disk (or an empty config).
      if (this.applier.onDisk().config === '') await this.install(this.emptyConfig());
      await this.haproxy.start();
      this.deps.log.info('haproxy started', { pid: this.haproxy.pid, after: first.error ?? 'sync' });
    }
    void this.marathon.follow((e) => {
      this.m.events.inc(1, { type: e.eventType });
      if (RELEVANT_EVENTS.includes(e.eventType)) this.request(e.eventType);
    }, () => this.request('event stream connected'), this.stopCtl.signal,
    { initialMs: 3_000, maxMs: this.cfg.maxBackoffS * 1000, stallMs: 300_000 });
  }

  private emptyConfig(): Installed {
    const g = generate([], this.genOptions(new Map()), this.templates, () => undefined);
    return { config: g.ok ? g.value.config : this.templates.HEAD, domainMap: '', appMap: '' };
  }

  /** Ask for a regeneration; requests within --burst-ms and during a running sync collapse into one. */
  request(reason: string): void {
    if (this.stopCtl.signal.aborted) return;
    if (this.running) { this.pending = true; return; }
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.sync(reason); }, this.cfg.burstMs);
  }

  /** Regenerate now (or join the regeneration already running). */
  sync(reason: string): Promise<SyncReport> {
    if (this.running) { this.pending = true; return this.running; }
    this.running = this.doSync(reason).finally(() => {
      this.running = undefined;
      clearTimeout(this.resync);
      if (!this.stopCtl.signal.aborted) this.resync = setTimeout(() => this.request('periodic resync'), this.cfg.resyncIntervalS * 1000);
      if (this.pending) { this.pending = false; this.request('collapsed events'); }
    });
    return this.running;
  }

  private async doSync(reason: string): Promise<SyncReport> {
    const log = this.deps.log;
    const t0 = performance.now();
    this.m.syncs.inc();
    let apps: MarathonApp[];
    try {
      const d = await this.marathon.apps();
      for (const p of d.problems) log.warn('malformed Marathon data ignored', { path: p.path, problem: p.message });
      this.m.malformed.inc(d.problems.length);
      apps = d.apps;
    } catch (e) {
      this.m.marathonErrors.inc();
      log.error('cannot read apps from Marathon; keeping the last good config', { err: (e as Error).message });
      return (this.last = { reason, changed: false, reloaded: false, skipped: this.last?.skipped ?? [], error: (e as Error).message });
    }
    const resolve = await this.resolver.prepare(hostsToResolve(apps));
    const prints = fingerprints(apps);
    const exclude = new Map<string, string>();
    for (const [id, r] of this.rejected) {
      if (prints.get(id) === r.fingerprint) exclude.set(id, r.reason);
      else this.rejected.delete(id);
    }
    const gen = (ex: ReadonlyMap<string, string>): Generated | string => {
      const g = generate(apps, this.genOptions(ex), this.templates, resolve, this.health);
      return g.ok ? g.value : g.error;
    };
    for (let round = 0; round < 8; round++) {
      const g = gen(exclude);
      if (typeof g === 'string') {
        log.error('config cannot be generated (global template); keeping the last good config', { err: g });
        return (this.last = { reason, changed: false, reloaded: false, skipped: [], error: g });
      }
      this.remember(g.health);
      const next: Installed = { config: g.config, domainMap: g.domainMap, appMap: g.appMap };
      this.m.generateSeconds.observe((performance.now() - t0) / 1000);
      if (this.applier.same(next, this.applier.onDisk()) && (this.haproxy === undefined || this.haproxy.pid !== undefined)) {
        return this.finish({ reason, changed: false, reloaded: false, skipped: g.skipped });
      }
      const chk = await this.applier.check(next);
      if (chk.ok) {
        await this.install(next);
        const reloaded = await this.reload();
        return this.finish({ reason, changed: true, reloaded, skipped: g.skipped });
      }
      this.m.validationFailures.inc();
      const alert = chk.output.split('\n').find((l) => /ALERT|error/i.test(l)) ?? chk.output.split('\n')[0] ?? '';
      const firstError = alert.replace(/^.*?\[[^\]]*:\d+\]\s*:\s*/, '').trim();
      const blamed = blamedApps(sectionsOf(chk.text, blamedLines(chk.output, chk.file)), g.owners);
      let culprits = blamed.shared ? [] : blamed.apps;
      if (culprits.length === 0) culprits = await this.bisect(gen, [...new Set(g.owners.values())].sort(), exclude);
      if (culprits.length === 0) {
        log.error('haproxy rejects the config and no single app explains it; keeping the last good config', { output: chk.output });
        return (this.last = { reason, changed: false, reloaded: false, skipped: g.skipped, error: firstError });
      }
      for (const a of culprits) {
        const why = `haproxy -c rejected its configuration: ${firstError}`;
        exclude.set(a, why);
        this.rejected.set(a, { fingerprint: prints.get(a) ?? '', reason: why });
      }
    }
    return (this.last = { reason, changed: false, reloaded: false, skipped: [], error: 'too many invalid apps' });
  }

  /** Narrow a rejection HAProxy does not attribute down to one app by halving the candidates. */
  private bisect(gen: (ex: ReadonlyMap<string, string>) => Generated | string, candidates: string[], exclude: ReadonlyMap<string, string>): Promise<string[]> {
    return firstBreaking(candidates, async (k) => {
      const ex = new Map(exclude);
      for (const a of candidates.slice(k)) ex.set(a, 'bisect');
      const g = gen(ex);
      if (typeof g === 'string') return false;
      return (await this.applier.check({ config: g.config, domainMap: g.domainMap, appMap: g.appMap })).ok;
    });
  }

  private remember(verdicts: ReadonlyMap<string, boolean>): void {
    for (const [k, v] of verdicts) { this.health.delete(k); this.health.set(k, v); }
    while (this.health.size > this.cfg.lruCacheCapacity) this.health.delete(this.health.keys().next().value as string);
  }

  private finish(r: SyncReport): SyncReport {
    const before = new Set((this.last?.skipped ?? []).map((s) => `${s.appId}:${s.servicePort ?? ''}:${s.reason}`));
    for (const s of r.skipped) {
      if (!before.has(`${s.appId}:${s.servicePort ?? ''}:${s.reason}`)) {
        this.deps.log.warn('app left out', { app: s.appId, port: s.servicePort, reason: s.reason });
        this.m.skippedTotal.inc();
      }
    }
    this.m.skipped.set(r.skipped.length);
    if (r.changed) this.deps.log.info('config changed', { reason: r.reason, reloaded: r.reloaded, skipped: r.skipped.length });
    return (this.last = r);
  }

  private async install(next: Installed): Promise<void> {
    await this.applier.install(next);
    this.m.configBytes.set(next.config.length);
  }

  /** Reload HAProxy with what is on disk; starts it if it is not running. */
  async reload(): Promise<boolean> {
    const t0 = performance.now();
    try {
      if (this.cfg.command) {
        const r = await exec('/bin/sh', ['-c', this.cfg.command], { timeoutMs: this.cfg.reloadIntervalS * 1000 || 10_000 });
        if (r.code !== 0) throw new Error(`reload command exited ${r.code}: ${r.stderr.trim()}`);
      } else if (this.haproxy!.pid === undefined) {
        await this.haproxy!.start();
      } else {
        await this.saveServerState();
        let tries = Math.max(1, this.cfg.maxReloadRetries);
        for (;;) {
          try { await this.haproxy!.reload(Math.max(1, this.cfg.reloadIntervalS) * 1000); break; } catch (e) { if (--tries <= 0) throw e; }
        }
      }
      this.m.reloads.inc(1, { result: 'ok' });
      this.m.reloadSeconds.observe((performance.now() - t0) / 1000);
      return true;
    } catch (e) {
      this.m.reloads.inc(1, { result: 'failed' });
      this.deps.log.error('haproxy reload failed', { err: (e as Error).message });
      return false;
    }
  }

  /** Validate the config on disk and reload (SIGUSR1 / _mlb_signal/usr1). */
  async reloadExisting(): Promise<boolean> {
    const chk = await this.applier.check(this.applier.onDisk());
    if (!chk.ok) { this.deps.log.error('config on disk is invalid; not reloading', { output: chk.output }); return false; }
    return this.reload();
  }

  private async saveServerState(): Promise<void> {
    try {
      const state = await cliCommand(statsSocket(this.cfg.runDir), 'show servers state', 2_000);
      if (state.startsWith('1')) await atomicWrite(`${stateDir(this.cfg.runDir)}global`, state);
    } catch { /* best effort: states start fresh */ }
  }

  async stop(): Promise<void> {
    this.stopCtl.abort();
    clearTimeout(this.timer);
    clearTimeout(this.resync);
    await this.running?.catch(() => undefined);
    await this.haproxy?.stop();
  }
}
