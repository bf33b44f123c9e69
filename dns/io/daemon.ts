// The DNS daemon: snapshot source (v1 SUBSCRIBE stream, or /master/state polling every
// RefreshSeconds, via src/io/change-stream.ts) → publish (pure) → atomic zone swap in the Engine →
// UDP/TCP listeners and the HTTP API. The last good zone is kept on any failure; the SOA serial moves
// only when the zone's data changes. Snapshots arriving while one is being published are coalesced
// (only the newest is built next).
import os from 'node:os';
import { lookup } from 'node:dns/promises';
import type { Snapshot } from '../../src/kernel/snapshot.js';
import type { DnsConfig } from '../config.js';
import { Engine } from '../engine.js';
import type { RecordSet } from '../records.js';
import { hostNamesToResolve, nextSerial, publish } from '../state-zone.js';
import { sameZoneData, withSerial, type Zone } from '../zone.js';
import { startDnsServer, type DnsServer } from './dns-server.js';
import { buildHttpApi } from './http.js';
import { startChangeStream, type ChangeStream } from '../../src/io/change-stream.js';
import type { Logger } from '../../src/io/logger.js';
import { Registry } from '../../src/io/metrics.js';

export interface DaemonOptions {
  readonly config: DnsConfig;
  readonly logger: Logger;
  readonly version: string;
  /** Master base URLs; default: config Masters with http(s)://. Empty = snapshots only via applySnapshot. */
  readonly masterUrls?: readonly string[];
  readonly random?: () => number;
  readonly nowSeconds?: () => number;
}

export interface DnsDaemon {
  /** Publish a snapshot now (the change stream calls this; tests and tools may too). */
  applySnapshot(snapshot: Snapshot): Promise<void>;
  readonly engine: Engine;
  readonly udpPort: number | undefined;
  readonly tcpPort: number | undefined;
  readonly httpPort: number | undefined;
  zone(): Zone | undefined;
  close(): Promise<void>;
}

/** Non-loopback local addresses (the NS name's addresses for a wildcard listener). */
function localAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).filter((a) => !a.internal).map((a) => a.address.replace(/%.*$/, ''));
}

/** System-resolver lookups with a small cache, as mesos-dns uses net.LookupIP. */
function hostResolver(log: Logger) {
  const cache = new Map<string, { ips: string[]; at: number }>();
  return {
    async prepare(hosts: readonly string[], now: number): Promise<void> {
      await Promise.all(hosts.filter((h) => { const c = cache.get(h); return !c || now - c.at > 60; }).map(async (h) => {
        try {
          const r = await lookup(h, { all: true });
          cache.set(h, { ips: r.map((x) => x.address), at: now });
        } catch (e) {
          log.debug('host lookup failed', { host: h, err: e });
          cache.set(h, { ips: [], at: now });
        }
      }));
    },
    resolve: (h: string): string[] => cache.get(h)?.ips ?? [],
  };
}

export async function startDaemon(o: DaemonOptions): Promise<DnsDaemon> {
  const cfg = o.config;
  const log = o.logger;
  const now = o.nowSeconds ?? (() => Date.now() / 1000);
  const engine = new Engine({
    recurseOn: cfg.RecurseOn, srvWeight: cfg.SRVRecordDefaultWeight, setTruncateBit: cfg.SetTruncateBit,
    externalOn: cfg.ExternalOn, resolvers: cfg.Resolvers, zoneResolvers: cfg.ZoneResolvers,
  }, o.random ?? Math.random);
  const metrics = new Registry();
  const hosts = hostResolver(log);
  let records: RecordSet | undefined;
  let serial: number | undefined;
  const swaps = metrics.counter('mesonet_dns_zone_swaps_total', 'Zone versions published');
  const failures = metrics.counter('mesonet_dns_publish_failures_total', 'Snapshots that could not be published (last good zone kept)');
  const buildSeconds = metrics.histogram('mesonet_dns_publish_seconds', 'Time to build a zone from a snapshot');
  const names = metrics.gauge('mesonet_dns_zone_names', 'Names in the current zone');
  const serialGauge = metrics.gauge('mesonet_dns_zone_serial', 'SOA serial of the current zone');
  const stat = metrics.gauge('mesonet_dns_queries', 'DNS query counters since start, by kind');
  metrics.onCollect(() => {
    for (const [k, v] of Object.entries(engine.stats)) stat.set(v, { kind: k });
    names.set(engine.currentZone()?.names.size ?? 0);
    serialGauge.set(engine.currentZone()?.serial ?? 0);
  });

  async function build(snapshot: Snapshot): Promise<void> {
    const started = performance.now();
    try {
      await hosts.prepare(hostNamesToResolve(snapshot, cfg), now());
      const p = publish(snapshot, cfg, { resolve: hosts.resolve, localAddresses: localAddresses() }, serial ?? 0);
      if (p.problems.length) log.warn('problems deriving names', { count: p.problems.length, first: `${p.problems[0]!.path}: ${p.problems[0]!.message}` });
      const changed = !sameZoneData(engine.currentZone(), p.zone);
      if (!changed) return;
      serial = nextSerial(serial, changed, now());
      records = p.records;
      engine.setZone(withSerial(p.zone, serial));
      swaps.inc();
      log.info('zone published', { serial, names: p.zone.names.size, ms: Math.round(performance.now() - started) });
    } catch (e) {
      failures.inc();
      log.error('publish failed; keeping the last good zone', { err: e });
    } finally {
      buildSeconds.observe((performance.now() - started) / 1000);
    }
  }

  // Coalescing: at most one build running, at most one (the newest) waiting.
  let running: Promise<void> | undefined;
  let pending: Snapshot | undefined;
  const waiters: (() => void)[] = [];
  function applySnapshot(snapshot: Snapshot): Promise<void> {
    pending = snapshot;
    const done = new Promise<void>((r) => waiters.push(r));
    if (!running) {
      running = (async () => {
        while (pending) {
          const next = pending;
          pending = undefined;
          const batch = waiters.splice(0);
          await build(next);
          for (const w of batch) w();
        }
        running = undefined;
      })();
    }
    return done;
  }

  let dns: DnsServer | undefined;
  if (cfg.DnsOn) dns = await startDnsServer({ host: cfg.Listener, port: cfg.Port, engine, forwardTimeoutMs: cfg.Timeout * 1000, logger: log });
  const http = cfg.HttpOn ? buildHttpApi({ config: cfg, version: o.version, zone: () => engine.currentZone(), records: () => records, metrics }) : undefined;
  let httpPort: number | undefined;
  if (http) {
    await http.listen({ host: cfg.HTTPListener, port: cfg.HttpPort });
    const a = http.server.address();
    httpPort = a && typeof a === 'object' ? a.port : undefined;
  }

  const urls = o.masterUrls ?? cfg.Masters.map((m) => `${cfg.MesosHTTPSOn ? 'https' : 'http'}://${m}`);
  let stream: ChangeStream | undefined;
  if (urls.length > 0) {
    stream = startChangeStream({
      masters: urls,
      mode: cfg.Subscribe ? 'auto' : 'poll',
      pollIntervalMs: cfg.RefreshSeconds * 1000,
      requestTimeoutMs: cfg.StateTimeoutSeconds * 1000,
      logger: log,
      onSnapshot: (s) => { void applySnapshot(s); },
    });
  }
  log.info('dns started', { udp: dns?.udpPort, tcp: dns?.tcpPort, http: httpPort, masters: urls });

  return {
    applySnapshot,
    engine,
    udpPort: dns?.udpPort,
    tcpPort: dns?.tcpPort,
    httpPort,
    zone: () => engine.currentZone(),
    async close() {
      await stream?.stop();
      await running;
      await dns?.close();
      await http?.close();
    },
  };
}
