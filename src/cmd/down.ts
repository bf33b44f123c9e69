import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Command, parseFlags } from './cli.js';
import { prefixFlag, savedPlan, scripts, isRoot } from './lab/common.js';
import { stopAll } from './lab/procs.js';

export const command: Command = {
  name: 'down',
  summary: "remove everything 'up' created (namespaces, links, processes, state)",
  usage: [
    'usage: mesonet down [--prefix P]',
    '',
    "Stops every process 'mesonet up' started (by pid), removes the lab's namespaces and links",
    '(netns-scripts/teardown.sh), its /etc/netns entries and its state and log directory.',
    '',
    'flags:',
    '  --prefix P   lab prefix (default mnlab)',
  ].join('\n'),
  async run(argv) {
    const { values } = parseFlags(argv, { prefix: { type: 'string' } });
    const prefix = prefixFlag(values.prefix);
    const plan = savedPlan(prefix);
    const stopped = await stopAll(plan.dir);
    if (isRoot()) execFileSync('bash', [resolve(scripts, 'teardown.sh'), prefix], { stdio: 'inherit' });
    rmSync(plan.dir, { recursive: true, force: true });
    process.stdout.write(`mesonet down: stopped ${stopped} process(es), removed lab '${prefix}'\n`);
    return 0;
  },
};
