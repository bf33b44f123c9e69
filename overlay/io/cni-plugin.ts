// `mesonet-cni`: the CNI 1.0.0 plugin's commands. ADD reserves an address, then attaches; any failure
// after the reservation rolls both back, so a failed ADD leaves nothing behind. DEL is idempotent.
// CHECK compares the kernel and the store with prevResult. This is the single boundary where
// failures become the spec's error JSON (stdout) and a non-zero exit.
import { hostVethName, macForIp } from '../names.js';
import { CNI_ERR, CniFailure, cniError, type CniError } from '../errors.js';
import { parseRequest, renderError, renderResult, renderVersion, type CniRequest } from '../cni-spec.js';
import { IpamStore } from './ipam-store.js';
import { attach, detach, inspect, netnsExists, AttachError } from './cni-link.js';

export interface CniOutput {
  readonly stdout: string;
  readonly exitCode: number;
}

const storeFor = (r: CniRequest) => new IpamStore(r.conf.dataDir, r.conf.name, r.conf.subnet, r.conf.gateway);
const prefixLen = (r: CniRequest) => r.conf.subnet.split('/')[1] ?? '32';
const routesOf = (r: CniRequest) => r.conf.routes.map((x) => ({ dst: x.dst, gw: x.gw ?? r.conf.gateway }));

async function add(r: CniRequest): Promise<string> {
  const netns = r.netns as string;
  if (!(await netnsExists(netns))) throw new CniFailure(cniError(CNI_ERR.NETNS_NOT_FOUND, `network namespace ${netns} does not exist`));
  const store = storeFor(r);
  const address = await store.reserve(r.containerId, r.ifname);
  const hostVeth = hostVethName(r.containerId, r.ifname);
  const cidr = `${address}/${prefixLen(r)}`;
  const mac = macForIp(address);
  try {
    const { hostMac, bridgeMac } = await attach({
      netns, ifname: r.ifname, hostVeth, bridge: r.conf.bridge, mtu: r.conf.mtu, hairpin: r.conf.hairpinMode, mac, address: cidr, routes: routesOf(r),
    });
    return renderResult(r.conf.cniVersion, {
      interfaces: [{ name: r.conf.bridge, mac: bridgeMac }, { name: hostVeth, mac: hostMac }, { name: r.ifname, mac, sandbox: netns }],
      ips: [{ address: cidr, gateway: r.conf.gateway, interface: 2 }],
      routes: routesOf(r),
    });
  } catch (e) {
    // Roll back this call's reservation only: an attachment that already existed (a second ADD of
    // the same interface) keeps its own address.
    await store.releaseAddress(address, r.containerId, r.ifname).catch(() => undefined);
    if (e instanceof AttachError) {
      const code = e.kind === 'interface-exists' ? CNI_ERR.INTERFACE_EXISTS : e.kind === 'bridge-missing' ? CNI_ERR.BRIDGE_MISSING : CNI_ERR.ATTACH_FAILED;
      throw new CniFailure(cniError(code, e.message));
    }
    throw e;
  }
}

async function del(r: CniRequest): Promise<void> {
  await detach(hostVethName(r.containerId, r.ifname));
  await storeFor(r).release(r.containerId, r.ifname);
}

async function check(r: CniRequest): Promise<void> {
  const netns = r.netns as string;
  if (!(await netnsExists(netns))) throw new CniFailure(cniError(CNI_ERR.NETNS_NOT_FOUND, `network namespace ${netns} does not exist`));
  const problems: string[] = [];
  const held = await storeFor(r).find(r.containerId, r.ifname);
  const want = r.conf.prevAddress ?? '';
  if (held === undefined) problems.push(`no address is reserved for ${r.containerId}/${r.ifname}`);
  else if (`${held}/${prefixLen(r)}` !== want) problems.push(`reserved address ${held} differs from prevResult ${want}`);
  problems.push(...(await inspect({ netns, ifname: r.ifname, hostVeth: hostVethName(r.containerId, r.ifname), bridge: r.conf.bridge, address: want, routes: routesOf(r) })));
  if (problems.length) throw new CniFailure(cniError(CNI_ERR.CHECK_FAILED, 'attachment differs from prevResult', problems.join('; ')));
}

/** Run one plugin invocation. `env` holds the CNI_* variables; `stdin` the network configuration. */
export async function cniMain(env: Readonly<Record<string, string | undefined>>, stdin: string): Promise<CniOutput> {
  const parsed = parseRequest(env, stdin);
  if (!parsed.ok) return { stdout: renderError(parsed.error.cniVersion, parsed.error.error) + '\n', exitCode: 1 };
  const r = parsed.value;
  if (r.command === 'VERSION') return { stdout: renderVersion(r.cniVersion) + '\n', exitCode: 0 };
  try {
    if (r.command === 'ADD') return { stdout: (await add(r)) + '\n', exitCode: 0 };
    if (r.command === 'DEL') await del(r);
    else await check(r);
    return { stdout: '', exitCode: 0 };
  } catch (e) {
    const ce: CniError = e instanceof CniFailure ? e.error : cniError(CNI_ERR.IO_FAILURE, `${r.command} failed`, e instanceof Error ? e.message : String(e));
    return { stdout: renderError(r.conf.cniVersion, ce) + '\n', exitCode: 1 };
  }
}
