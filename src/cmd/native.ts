import type { Command } from './cli.js';
import { parseFlags } from './cli.js';
import { nativeVersion } from '../../l4lb/index.js';

export const command: Command = {
  name: 'native',
  summary: 'print the native addon version and ABI (diagnostics)',
  usage: 'usage: mesonet native\n\nLoads the NFQUEUE/conntrack addon and prints its version, ABI and linked libraries as JSON.',
  async run(argv) {
    parseFlags(argv, {});
    process.stdout.write(JSON.stringify(nativeVersion()) + '\n');
    return 0;
  },
};
