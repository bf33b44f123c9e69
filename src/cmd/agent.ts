// `mesonet agent`: runs tasks as processes (in their own netns via CNI when asked), HTTP 5051.
import type { Command } from './cli.js';
import { parseFlags, UsageError, untilSignal } from './cli.js';
import { formatProblems } from '../kernel/errors.js';
import { AGENT_DEFAULTS, parseAgentConfig, startAgent } from '../../scheduler/index.js';

const d = AGENT_DEFAULTS;
export const command: Command = {
  name: 'agent',
  summary: 'run an agent that launches tasks (HTTP 5051)',
  usage: `usage: mesonet agent --master URL [flags]

  --master URL|HOST:PORT     the master (default ${d.master})
  --ip IP                    address to listen on and advertise (default ${d.ip})
  --hostname NAME            advertised hostname (default: the IP)
  --port N                   HTTP port (default ${d.port}; 0 = any)
  --resources TEXT           e.g. 'cpus:2;mem:1024;disk:1024;ports:[31000-31099];cpus(role):1' (default '${d.resources}')
  --attributes TEXT          e.g. 'rack:r1;zone:a'
  --work-dir DIR             sandboxes, agent id, task checkpoints (default ${d.workDir})
  --cni-plugin-dir DIRS      CNI plugin binaries, ':'-separated (default ${d.cniPluginDir})
  --cni-conf-dir DIR         CNI network configurations (default ${d.cniConfDir})
  --netns-prefix P           prefix of task network namespaces (default ${d.netnsPrefix})
  --heartbeat SECS           heartbeat period (default ${d.heartbeatSeconds})
  --kill-grace SECS          SIGTERM → SIGKILL grace period (default ${d.killGraceSeconds})`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      master: { type: 'string' }, ip: { type: 'string' }, hostname: { type: 'string' }, port: { type: 'string' },
      resources: { type: 'string' }, attributes: { type: 'string' }, 'work-dir': { type: 'string' },
      'cni-plugin-dir': { type: 'string' }, 'cni-conf-dir': { type: 'string' }, 'netns-prefix': { type: 'string' },
      heartbeat: { type: 'string' }, 'kill-grace': { type: 'string' },
    });
    const r = parseAgentConfig({
      master: values.master, ip: values.ip, hostname: values.hostname, port: values.port, resources: values.resources,
      attributes: values.attributes, workDir: values['work-dir'], cniPluginDir: values['cni-plugin-dir'],
      cniConfDir: values['cni-conf-dir'], netnsPrefix: values['netns-prefix'], heartbeatSeconds: values.heartbeat,
      killGraceSeconds: values['kill-grace'],
    });
    if (!r.ok) throw new UsageError(formatProblems(r.error).replace(/\n/g, '; '));
    const a = await startAgent(r.value);
    return untilSignal(() => a.close());
  },
};

