// `mesonet marathon`: the Marathon-like app scheduler (HTTP 8080), a framework of the master.
import type { Command } from './cli.js';
import { parseFlags, UsageError, untilSignal } from './cli.js';
import { formatProblems } from '../kernel/errors.js';
import { MARATHON_DEFAULTS, parseMarathonConfig, startMarathon } from '../../scheduler/index.js';

const d = MARATHON_DEFAULTS;
export const command: Command = {
  name: 'marathon',
  summary: 'run the Marathon-like app scheduler (HTTP 8080)',
  usage: `usage: mesonet marathon --master URL [flags]

Serves /v2/apps, /v2/tasks, /v2/deployments, /v2/info, /v2/events (SSE), /ping.

  --master URL|HOST:PORT     the master (default ${d.master})
  --ip IP                    address to listen on (default ${d.ip})
  --hostname NAME            advertised hostname (default: the IP)
  --port N                   HTTP port (default ${d.port}; 0 = any)
  --work-dir DIR             keep apps, tasks and the framework id in DIR/store (default: in memory)
  --framework-name NAME      framework name (default ${d.frameworkName})
  --role ROLE                framework role (default ${d.role})
  --sse-heartbeat SECS       /v2/events heartbeat period (default ${d.sseHeartbeatSeconds})
  --local-port-min N         service port range start (default ${d.localPortMin})
  --local-port-max N         service port range end (default ${d.localPortMax})`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      master: { type: 'string' }, ip: { type: 'string' }, hostname: { type: 'string' }, port: { type: 'string' },
      'work-dir': { type: 'string' }, 'framework-name': { type: 'string' }, role: { type: 'string' },
      'sse-heartbeat': { type: 'string' }, 'local-port-min': { type: 'string' }, 'local-port-max': { type: 'string' },
    });
    const r = parseMarathonConfig({
      master: values.master, ip: values.ip, hostname: values.hostname, port: values.port, workDir: values['work-dir'],
      frameworkName: values['framework-name'], role: values.role, sseHeartbeatSeconds: values['sse-heartbeat'],
      localPortMin: values['local-port-min'], localPortMax: values['local-port-max'],
    });
    if (!r.ok) throw new UsageError(formatProblems(r.error).replace(/\n/g, '; '));
    const m = await startMarathon(r.value);
    return untilSignal(() => m.close());
  },
};

