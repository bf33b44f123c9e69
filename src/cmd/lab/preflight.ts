// What `mesonet up` needs before it builds anything: root, the kernel tools, haproxy, the native
// addon, and the kernel features (namespaces, VXLAN, NFQUEUE). Each miss is one clear line.
import { execFileSync } from 'node:child_process';
import { nativeVersion } from '../../../l4lb/index.js';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function trySh(script: string): boolean {
  try {
    execFileSync('bash', ['-c', script], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Problems that stop the lab; empty when everything is there. */
export function preflight(prefix: string): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) return ['mesonet up needs root (network namespaces, iptables, VXLAN); try `mesonet up --local` for the loopback-only plane'];
  for (const [cmd, pkg] of [['ip', 'iproute2'], ['iptables', 'iptables'], ['ipset', 'ipset'], ['conntrack', 'conntrack'], ['haproxy', 'haproxy'], ['dig', 'dnsutils']] as const) {
    if (!has(cmd)) missing.push(`missing command '${cmd}' (Debian package ${pkg}; run scripts/setup.sh)`);
  }
  try {
    nativeVersion();
  } catch (e) {
    missing.push(e instanceof Error ? e.message : String(e));
  }
  if (missing.length) return missing;
  const probe = `${prefix}-probe`;
  const ok = trySh(`ip netns add ${probe} && ip -n ${probe} link add vxprobe type vxlan id 42 dstport 4789 nolearning && ip netns exec ${probe} iptables -t raw -A PREROUTING -p tcp --syn -j NFQUEUE --queue-num 50 --queue-bypass`);
  trySh(`ip netns del ${probe}`);
  if (!ok) missing.push('the kernel lacks a needed feature (network namespaces, VXLAN or NFQUEUE): a probe namespace could not get a vxlan link and an NFQUEUE rule');
  return missing;
}
