// The CNI plugin's kernel side: one `ip -batch` in the host namespace (veth pair with its peer
// created straight in the container namespace, host end on the bridge) and one in the container
// namespace through nsenter (address, link up, routes). Names and paths arrive validated.
import { stat } from 'node:fs/promises';
import { run, ExecError } from './exec.js';

export interface Attach {
  readonly netns: string;
  readonly ifname: string;
  readonly hostVeth: string;
  readonly bridge: string;
  readonly mtu: number;
  readonly hairpin: boolean;
  readonly mac: string;
  /** ip/len */
  readonly address: string;
  readonly routes: readonly { dst: string; gw: string }[];
}

export type AttachFailure = 'interface-exists' | 'bridge-missing' | 'failed';

export class AttachError extends Error {
  constructor(readonly kind: AttachFailure, message: string) {
    super(message);
    this.name = 'AttachError';
  }
}

export async function netnsExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

const inNs = (netns: string, args: string[], input?: string) => run('nsenter', [`--net=${netns}`, 'ip', ...args], input);
const failedLine = (e: unknown): number => Number(/Command failed -:(\d+)/.exec(e instanceof ExecError ? e.stderr : '')?.[1] ?? 0);

async function linkExists(netns: string | undefined, name: string): Promise<boolean> {
  const args = ['-j', 'link', 'show', 'dev', name];
  return (netns ? inNs(netns, args) : run('ip', args)).then(() => true, () => false);
}

/** Create and configure the attachment; returns the host veth's and the bridge's MACs. */
export async function attach(a: Attach): Promise<{ hostMac: string; bridgeMac: string }> {
  const host = [
    `link add ${a.hostVeth} mtu ${a.mtu} type veth peer name ${a.ifname} mtu ${a.mtu} address ${a.mac} netns ${a.netns}`,
    `link set ${a.hostVeth} master ${a.bridge} up`,
    ...(a.hairpin ? [`link set ${a.hostVeth} type bridge_slave hairpin on`] : []),
    `link show ${a.hostVeth}`,
    `link show ${a.bridge}`,
  ];
  let out = '';
  for (let attempt = 0; ; attempt++) {
    try {
      out = (await run('ip', ['-j', '-batch', '-'], host.join('\n') + '\n')).stdout;
      break;
    } catch (e) {
      const line = failedLine(e);
      if (line === 1 && (await linkExists(a.netns, a.ifname))) throw new AttachError('interface-exists', `interface ${a.ifname} already exists in ${a.netns}`);
      // A host end left over by an ADD that was never deleted: remove it and try once more.
      const stale = line === 1 && attempt === 0 && (await linkExists(undefined, a.hostVeth));
      await detach(a.hostVeth);
      if (stale) continue;
      if (line === 2 && !(await linkExists(undefined, a.bridge))) throw new AttachError('bridge-missing', `bridge ${a.bridge} does not exist on this host`);
      throw new AttachError('failed', `host side: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const shown = out.trim().split('\n').map((l) => { try { return JSON.parse(l) as { address?: string }[]; } catch { return []; } });
  const hostMac = shown[0]?.[0]?.address ?? '';
  const bridgeMac = shown[1]?.[0]?.address ?? '';
  const inside = [
    'link set lo up',
    `address add ${a.address} dev ${a.ifname}`,
    `link set ${a.ifname} up`,
    ...a.routes.map((r) => `route add ${r.dst} via ${r.gw} dev ${a.ifname}`),
  ];
  try {
    await inNs(a.netns, ['-batch', '-'], inside.join('\n') + '\n');
  } catch (e) {
    await detach(a.hostVeth);
    throw new AttachError('failed', `container side: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { hostMac, bridgeMac };
}

/** Remove the host veth (its peer goes with it). Absent is fine. */
export async function detach(hostVeth: string): Promise<void> {
  await run('ip', ['link', 'del', hostVeth]).catch((e: unknown) => {
    if (!(e instanceof ExecError) || !/Cannot find device|does not exist/.test(e.stderr)) throw e;
  });
}

/** What CHECK compares: problems found, empty when the attachment is as ADD left it. */
export async function inspect(a: Pick<Attach, 'netns' | 'ifname' | 'hostVeth' | 'bridge' | 'address' | 'routes'>): Promise<string[]> {
  const problems: string[] = [];
  const host = await run('ip', ['-j', 'link', 'show', 'dev', a.hostVeth]).then((r) => JSON.parse(r.stdout) as { master?: string }[], () => undefined);
  if (!host) problems.push(`host interface ${a.hostVeth} is missing`);
  else if (host[0]?.master !== a.bridge) problems.push(`host interface ${a.hostVeth} is not on bridge ${a.bridge}`);
  const lines = await inNs(a.netns, ['-j', '-batch', '-'], `addr show dev ${a.ifname}\nroute show dev ${a.ifname}\n`)
    .then((r) => r.stdout.trim().split('\n'), () => undefined);
  if (!lines) { problems.push(`interface ${a.ifname} is missing in ${a.netns}`); return problems; }
  type Addr = { addr_info?: { family?: string; local?: string; prefixlen?: number }[] };
  const addrs = (JSON.parse(lines[0] ?? '[]') as Addr[]).flatMap((l) => l.addr_info ?? []).map((x) => `${x.local}/${x.prefixlen}`);
  if (!addrs.includes(a.address)) problems.push(`${a.ifname} does not hold ${a.address} (has ${addrs.join(', ') || 'nothing'})`);
  const routes = (JSON.parse(lines[1] ?? '[]') as { dst?: string; gateway?: string }[]).map((r) => `${r.dst === 'default' ? '0.0.0.0/0' : r.dst} via ${r.gateway}`);
  for (const r of a.routes) if (!routes.includes(`${r.dst} via ${r.gw}`)) problems.push(`route ${r.dst} via ${r.gw} is missing in ${a.netns}`);
  return problems;
}
