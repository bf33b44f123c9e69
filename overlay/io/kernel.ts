// Observe the overlay's kernel state and apply a rendered plan. Reads run in parallel; writes go
// as one `ip -batch`, one `bridge -batch` and one `iptables-restore --noflush`, each with -force /
// atomically, so one bad entry does not stop the rest (it is reported and retried next round).
import type { OverlayConfig } from '../config.js';
import { parseLinks, parseNeighbors, parseFdb, parseRoutes, parseNat, type Observed, type ObservedNat } from '../observed.js';
import type { Batches } from '../plan.js';
import type { Runner } from './exec.js';

const quiet = async <T>(p: Promise<T>, dflt: T): Promise<T> => p.catch(() => dflt);

/**
 * Read what the kernel holds for this overlay: links, neighbours and routes in one `ip -batch`, the
 * FDB with `bridge`, and (unless `system` is false) the nat chain and IP forwarding. Skipping the
 * system part makes a peer-change pass two processes instead of four.
 */
export async function observe(run: Runner, cfg: OverlayConfig, opts: { nat?: boolean; system?: boolean } = {}): Promise<Observed> {
  const dev = cfg.vtepName;
  const names = [dev, cfg.mesosBridgeName, cfg.dockerBridgeName];
  const system = opts.system !== false;
  const [ipOut, fdb, nat, fwd] = await Promise.all([
    run('ip', ['-j', '-d', '-batch', '-'], 'addr show\nneigh show\nroute show\n'),
    quiet(run('bridge', ['-j', 'fdb', 'show', 'dev', dev]), { stdout: '[]', stderr: '' }),
    system && opts.nat !== false ? observeNat(run, cfg.natChain) : Promise.resolve(undefined),
    system ? quiet(run('sysctl', ['-n', 'net.ipv4.ip_forward']), { stdout: '1', stderr: '' }) : Promise.resolve(undefined),
  ]);
  const [links, neigh, routes] = ipOut.stdout.split('\n');
  const l = parseLinks(links ?? '', names);
  const has = l.has(dev);
  return {
    links: l,
    neighbors: has ? parseNeighbors(neigh ?? '', dev) : [],
    fdb: has ? parseFdb(fdb.stdout) : [],
    routes: has ? parseRoutes(routes ?? '', dev) : [],
    nat: nat ?? { chainExists: false, rules: [], jumps: [] },
    forwarding: fwd === undefined ? true : fwd.stdout.trim() !== '0',
  };
}

async function observeNat(run: Runner, chain: string): Promise<ObservedNat> {
  const r = await quiet(run('iptables-save', ['-t', 'nat']), { stdout: '', stderr: '' });
  return parseNat(r.stdout, chain);
}

/** Apply rendered batches; collects every failure and throws one error listing them after trying all. */
export async function apply(run: Runner, b: Batches): Promise<void> {
  const failures: string[] = [];
  const step = async (what: string, p: () => Promise<unknown>) => {
    try { await p(); } catch (e) { failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`); }
  };
  const ipBatch = () => step('ip', () => run('ip', ['-force', '-batch', '-'], b.ip.join('\n') + '\n'));
  const bridgeBatch = () => step('bridge', () => run('bridge', ['-force', '-batch', '-'], b.bridge.join('\n') + '\n'));
  // FDB entries need the VTEP: the bridge batch runs after the ip batch when that touches links,
  // side by side otherwise (a peer coming or going). The nat chain and forwarding are independent.
  const links = async () => {
    if (b.ip.some((l) => l.startsWith('link '))) {
      if (b.ip.length) await ipBatch();
      if (b.bridge.length) await bridgeBatch();
    } else await Promise.all([b.ip.length ? ipBatch() : undefined, b.bridge.length ? bridgeBatch() : undefined]);
  };
  const nat = b.iptables;
  await Promise.all([
    links(),
    nat ? step('iptables', () => run('iptables-restore', ['-w', '5', '--noflush'], nat)) : undefined,
    b.forwarding ? step('sysctl', () => run('sysctl', ['-qw', 'net.ipv4.ip_forward=1'])) : undefined,
  ]);
  if (failures.length) throw new Error(failures.join('\n'));
}

/** Remove everything the overlay created (VTEP, bridges, chain and its jump). Safe to run twice. */
export async function removeAll(run: Runner, cfg: OverlayConfig): Promise<void> {
  const o = await observe(run, cfg);
  const lines = [cfg.vtepName, cfg.mesosBridgeName, cfg.dockerBridgeName].filter((n) => o.links.has(n)).map((n) => `link del ${n}`);
  if (lines.length) await run('ip', ['-force', '-batch', '-'], lines.join('\n') + '\n').catch(() => undefined);
  if (o.nat.chainExists) {
    const input = ['*nat', ...o.nat.jumps.map((j) => j.replace(/^-A /, '-D ')), `-F ${cfg.natChain}`, `-X ${cfg.natChain}`, 'COMMIT', ''].join('\n');
    await run('iptables-restore', ['-w', '5', '--noflush'], input).catch(() => undefined);
  }
}
