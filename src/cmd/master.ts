// `mesonet master`: the Mesos-compatible master (state, operator stream, DRF allocator) on HTTP 5050.
import type { Command } from './cli.js';
import { parseFlags, UsageError, untilSignal } from './cli.js';
import { formatProblems } from '../kernel/errors.js';
import { readFile } from 'node:fs/promises';
import { MASTER_DEFAULTS, parseMasterConfig, startMaster } from '../../scheduler/index.js';
import { parseConfig as parseOverlayConfig, overlayMasterRoutes, type OverlayConfig } from '../../overlay/index.js';

/** The overlay master's config when --overlay-config is given (the overlay room's file keys). */
async function overlayConfig(file: string | undefined): Promise<OverlayConfig | undefined> {
  if (file === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--overlay-config ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const c = parseOverlayConfig(json);
  if (!c.ok) throw new UsageError(`--overlay-config ${file}: ${formatProblems(c.error).replace(/\n/g, '; ')}`);
  return c.value;
}

const d = MASTER_DEFAULTS;
export const command: Command = {
  name: 'master',
  summary: 'run a Mesos-compatible master (HTTP 5050) with the DRF allocator',
  usage: `usage: mesonet master [flags]

Serves /master/state (Mesos 1.x JSON), POST /api/v1 (operator API incl. SUBSCRIBE),
POST /api/v1/scheduler (v1 scheduler API), /master/reserve|unreserve, /quota, /weights.

  --ip IP                    address to listen on and advertise (default ${d.ip})
  --hostname NAME            advertised hostname (default: the IP)
  --port N                   HTTP port (default ${d.port}; 0 = any)
  --work-dir DIR             keep state in DIR/store (default: in memory)
  --agent-timeout SECS       no heartbeat for this long → agent unreachable (default ${d.agentTimeoutSeconds})
  --agent-removal SECS       unreachable for this long → agent removed, tasks LOST (default ${d.agentRemovalSeconds})
  --allocation-interval SECS batch allocation period (default ${d.allocationIntervalSeconds})
  --stream-heartbeat SECS    HEARTBEAT period of the operator stream (default ${d.streamHeartbeatSeconds})
  --overlay-config FILE      also serve the overlay master (/overlay-master/state, /overlay-master/agents/…)
                             with this config (mesos overlay module keys); leases persist in the master's store`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      ip: { type: 'string' }, hostname: { type: 'string' }, port: { type: 'string' }, 'work-dir': { type: 'string' },
      'agent-timeout': { type: 'string' }, 'agent-removal': { type: 'string' }, 'allocation-interval': { type: 'string' },
      'stream-heartbeat': { type: 'string' }, 'overlay-config': { type: 'string' },
    });
    const r = parseMasterConfig({
      ip: values.ip, hostname: values.hostname, port: values.port, workDir: values['work-dir'],
      agentTimeoutSeconds: values['agent-timeout'], agentRemovalSeconds: values['agent-removal'],
      allocationIntervalSeconds: values['allocation-interval'], streamHeartbeatSeconds: values['stream-heartbeat'],
    });
    if (!r.ok) throw new UsageError(formatProblems(r.error).replace(/\n/g, '; '));
    const overlay = await overlayConfig(values['overlay-config']);
    const m = await startMaster(r.value, overlay === undefined ? {} : {
      routes: (app, { store }) => {
        // Leases live in the master's own store (atomic, recovered on restart) under their own namespace.
        const records = store.records('overlay-leases');
        overlayMasterRoutes(app, { load: async () => records.get('table'), save: (t) => records.put('table', t) }, overlay,
          (line) => process.stderr.write(`${line}\n`));
      },
    });
    return untilSignal(() => m.close());
  },
};

