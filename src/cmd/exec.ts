import { spawnSync } from 'node:child_process';
import { type Command, parseFlags, UsageError } from './cli.js';
import { prefixFlag, savedPlan } from './lab/common.js';
import { findNode } from './lab/plan.js';

export const command: Command = {
  name: 'exec',
  summary: 'run a command in a lab namespace',
  usage: [
    'usage: mesonet exec [--prefix P] <node> -- <command> [args…]',
    '',
    'Runs a command inside the namespace of a lab node: master, agent1..N, public, client',
    '(or a namespace name such as mnlab-h1). Exits with the command\'s status.',
    '',
    'example: mesonet exec client -- dig +short web.marathon.mesos',
  ].join('\n'),
  async run(argv) {
    const dash = argv.indexOf('--');
    if (dash < 0) throw new UsageError("missing '--' before the command");
    const cmd = argv.slice(dash + 1);
    if (cmd.length === 0) throw new UsageError('missing command after --');
    const { values, positionals } = parseFlags(argv.slice(0, dash), { prefix: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('expected exactly one node name');
    const plan = savedPlan(prefixFlag(values.prefix));
    const node = findNode(plan, positionals[0]!);
    if (!node) throw new UsageError(`unknown node '${positionals[0]}' (nodes: ${plan.nodes.map((n) => n.name).join(', ')})`);
    const r = spawnSync('ip', ['netns', 'exec', node.ns, ...cmd], { stdio: 'inherit' });
    if (r.error) throw r.error;
    return r.status ?? 1;
  },
};
