// The lab's topology as data: which namespace plays which role, its underlay address, the overlay
// ranges, and where logs and pids live. Pure: `mesonet up`, `down`, `status` and `exec` all derive
// the same names from (prefix, agents). Addresses only from 198.18.0.0/15 (DESIGN.md, lab plan).

export type Role = 'master' | 'agent' | 'public' | 'client';

export interface LabNode {
  /** Short name used by `mesonet exec <node>`: master, agent1..N, public, client. */
  readonly name: string;
  readonly role: Role;
  /** Namespace, as netns-scripts/setup.sh names host i: `<prefix>-h<i>`. */
  readonly ns: string;
  readonly index: number;
  readonly ip: string;
}

export interface LabPlan {
  readonly prefix: string;
  readonly dir: string;
  readonly nodes: readonly LabNode[];
  readonly master: LabNode;
  readonly client: LabNode;
  readonly public: LabNode;
  readonly agents: readonly LabNode[];
  /** Overlay: 198.19.0.0/16, /24 per agent; VTEPs 198.18.16.0/20; named VIPs 198.18.128.0/17. */
  readonly overlay: { readonly subnet: string; readonly prefix: number; readonly vtepSubnet: string; readonly vtepMacOui: string };
  readonly vipRange: string;
  readonly ports: { readonly master: number; readonly agent: number; readonly marathon: number; readonly dns: number; readonly dnsHttp: number; readonly l4lb: number; readonly edge: number; readonly overlayAgent: number };
}

export const DEFAULT_PREFIX = 'mnlab';

export function checkPrefix(prefix: string): string | undefined {
  return /^[a-z][a-z0-9]{1,9}$/.test(prefix) ? undefined : `prefix must be 2-10 characters [a-z0-9] starting with a letter (got '${prefix}')`;
}

/** Host i of netns-scripts/setup.sh has underlay address 198.18.0.(10+i). */
export function hostIp(i: number): string {
  return `198.18.0.${10 + i}`;
}

export function labPlan(prefix: string, agents: number, tmpDir: string): LabPlan {
  const nodes: LabNode[] = [];
  const add = (name: string, role: Role) => {
    const index = nodes.length + 1;
    const node = { name, role, ns: `${prefix}-h${index}`, index, ip: hostIp(index) };
    nodes.push(node);
    return node;
  };
  const master = add('master', 'master');
  const agentNodes = Array.from({ length: agents }, (_, i) => add(`agent${i + 1}`, 'agent'));
  const pub = add('public', 'public');
  const client = add('client', 'client');
  return {
    prefix,
    dir: `${tmpDir.replace(/\/$/, '')}/mesonet-${prefix}`,
    nodes,
    master,
    client,
    public: pub,
    agents: agentNodes,
    overlay: { subnet: '198.19.0.0/16', prefix: 24, vtepSubnet: '198.18.16.0/20', vtepMacOui: '70:B3:D5' },
    vipRange: '198.18.128.0/17',
    ports: { master: 5050, agent: 5051, marathon: 8080, dns: 53, dnsHttp: 8123, l4lb: 61421, edge: 9090, overlayAgent: 5052 },
  };
}

/** Find a node by its short name (`master`, `agent2`, …) or by its namespace name. */
export function findNode(plan: LabPlan, name: string): LabNode | undefined {
  return plan.nodes.find((n) => n.name === name || n.ns === name);
}
