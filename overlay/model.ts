// A model of the kernel: applies plan operations to an Observed value the way the real kernel does
// for the objects the overlay owns (deleting the VTEP drops what sat on it; a MAC change on it
// wipes its neighbours). The agent plans peer changes against this model of what it last applied
// (no kernel reads on the fast path); plan tests use it as a fake kernel. Throws on an operation
// the real kernel would refuse. Pure.
import type { Observed, ObservedLink } from './observed.js';
import type { Op } from './plan.js';

export function applyOps(o: Observed, ops: readonly Op[]): Observed {
  const links = new Map(o.links);
  let neighbors = [...o.neighbors];
  let fdb = [...o.fdb];
  let routes = [...o.routes];
  let nat = o.nat;
  let forwarding = o.forwarding;
  const vtepName = [...links.values()].find((l) => l.kind === 'vxlan')?.name;
  const blank = (name: string, kind: string): ObservedLink => ({
    name, kind, mtu: 1500, mac: '02:00:00:00:00:00', up: false, master: undefined, vni: undefined, port: undefined,
    local: undefined, learning: undefined, udpCsum: undefined, addresses: [],
  });
  const set = (name: string, f: (l: ObservedLink) => ObservedLink) => {
    const l = links.get(name);
    if (!l) throw new Error(`fake kernel: no link ${name}`);
    links.set(name, f(l));
  };
  for (const x of ops) {
    switch (x.op) {
      case 'vxlan-add':
        if (links.has(x.name)) throw new Error(`fake kernel: ${x.name} exists`);
        links.set(x.name, { ...blank(x.name, 'vxlan'), vni: x.vni, port: x.port, local: x.local, learning: false, udpCsum: false });
        break;
      case 'bridge-add':
        if (links.has(x.name)) throw new Error(`fake kernel: ${x.name} exists`);
        links.set(x.name, blank(x.name, 'bridge'));
        break;
      case 'link-del':
        links.delete(x.name);
        if (x.name === vtepName) { neighbors = []; fdb = []; routes = []; }
        break;
      case 'link-set':
        set(x.name, (l) => {
          if (x.mac && l.kind === 'vxlan' && l.mac !== x.mac) neighbors = [];
          return { ...l, ...(x.mac ? { mac: x.mac } : {}), ...(x.mtu ? { mtu: x.mtu } : {}), up: x.up || l.up };
        });
        break;
      case 'addr-add': set(x.dev, (l) => ({ ...l, addresses: [...l.addresses, x.cidr] })); break;
      case 'addr-del': set(x.dev, (l) => ({ ...l, addresses: l.addresses.filter((a) => a !== x.cidr) })); break;
      case 'neigh-replace': neighbors = [...neighbors.filter((n) => n.ip !== x.ip), { ip: x.ip, mac: x.mac }]; break;
      case 'neigh-del': neighbors = neighbors.filter((n) => n.ip !== x.ip); break;
      case 'fdb-replace': fdb = [...fdb.filter((f) => f.mac !== x.mac), { mac: x.mac, dst: x.dst }]; break;
      case 'fdb-del': fdb = fdb.filter((f) => !(f.mac === x.mac && f.dst === x.dst)); break;
      case 'route-replace': routes = [...routes.filter((r) => r.dst !== x.dst), { dst: x.dst, via: x.via }]; break;
      case 'route-del': routes = routes.filter((r) => !(r.dst === x.dst && r.via === x.via)); break;
      case 'nat-chain': nat = { ...nat, chainExists: true, rules: [...x.rules] }; break;
      case 'nat-jump': nat = { ...nat, jumps: [...nat.jumps, x.rule] }; break;
      case 'forwarding-on': forwarding = true; break;
    }
  }
  return { links, neighbors, fdb, routes, nat, forwarding };
}
