// Address choice for the CNI plugin's IPAM, as host-local does it: the usable hosts of the range are
// every address except the network, the gateway and the broadcast address; the next address after
// the last one reserved is tried first (round robin, so a just-freed address is not handed out
// again at once), wrapping around. Pure.
import { addressCount, nthAddress } from '../src/kernel/ip.js';

/** Usable container addresses of `subnet`, in order. */
export function usableHosts(subnet: string, gateway: string): string[] {
  const out: string[] = [];
  const n = addressCount(subnet);
  for (let i = 1; i < n - 1; i++) {
    const a = nthAddress(subnet, i);
    if (a !== undefined && a !== gateway) out.push(a);
  }
  return out;
}

/**
 * Candidates in the order to try them: starting after `last` (if it is one of the hosts), wrapping
 * around, skipping those in `used`. Empty when the range is exhausted.
 */
export function candidates(hosts: readonly string[], used: ReadonlySet<string>, last: string | undefined): string[] {
  const start = last === undefined ? 0 : hosts.indexOf(last) + 1;
  const out: string[] = [];
  for (let k = 0; k < hosts.length; k++) {
    const a = hosts[(start + k) % hosts.length]!;
    if (!used.has(a)) out.push(a);
  }
  return out;
}
