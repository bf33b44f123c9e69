// Runs a task's Mesos health check (HTTP, TCP or COMMAND) on its schedule, inside the task's network
// namespace when it has one, and reports health changes (see ../health.ts for the rules).
import { connect } from 'node:net';
import { exec } from '../../src/io/exec.js';
import type { V1HealthCheck } from '../mesos-types.js';
import { initialHealth, nextHealth, type HealthState } from '../health.js';

// A probe run inside a namespace with the node binary: exit 0 when the check passes.
const HTTP_PROBE = `fetch(process.argv[1],{signal:AbortSignal.timeout(Number(process.argv[2]))}).then(r=>process.exit(r.status>=200&&r.status<400?0:1),()=>process.exit(1))`;
const TCP_PROBE = `const s=require('net').connect(Number(process.argv[2]),process.argv[1]);s.setTimeout(Number(process.argv[3]),()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))`;

export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private state: HealthState;
  private stopped = false;

  constructor(
    private readonly hc: V1HealthCheck, private readonly ip: string, private readonly netns: string | undefined,
    private readonly env: Record<string, string>, private readonly onChange: (healthy: boolean) => void,
  ) {
    this.state = initialHealth(Date.now() / 1000);
  }

  start(): void { this.schedule((this.hc.delay_seconds ?? 15) * 1000); }
  stop(): void { this.stopped = true; if (this.timer) clearTimeout(this.timer); }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    const ok = await this.check().catch(() => false);
    if (this.stopped) return;
    const r = nextHealth(this.state, ok, Date.now() / 1000, {
      gracePeriodSeconds: this.hc.grace_period_seconds ?? 10, consecutiveFailures: this.hc.consecutive_failures ?? 3,
    });
    this.state = r.state;
    if (r.changed && r.state.healthy !== undefined) this.onChange(r.state.healthy);
    this.schedule((this.hc.interval_seconds ?? 10) * 1000);
  }

  private async check(): Promise<boolean> {
    const timeoutMs = (this.hc.timeout_seconds ?? 20) * 1000;
    const inNs = (args: string[]) => (this.netns ? ['ip', ['netns', 'exec', this.netns, ...args]] as const : [args[0]!, args.slice(1)] as const);
    if (this.hc.type === 'COMMAND') {
      const [cmd, args] = inNs(['/bin/sh', '-c', this.hc.command?.value ?? 'false']);
      return (await exec(cmd, args, { env: this.env, timeoutMs })).code === 0;
    }
    const port = this.hc.type === 'HTTP' ? this.hc.http?.port : this.hc.tcp?.port;
    if (port === undefined) return false;
    const host = this.netns ? '127.0.0.1' : this.ip;
    if (this.hc.type === 'HTTP') {
      const url = `${this.hc.http?.scheme ?? 'http'}://${host}:${port}${this.hc.http?.path ?? '/'}`;
      if (this.netns) return (await exec('ip', ['netns', 'exec', this.netns, process.execPath, '-e', HTTP_PROBE, url, String(timeoutMs)], { timeoutMs: timeoutMs + 2000 })).code === 0;
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 400;
    }
    if (this.netns) return (await exec('ip', ['netns', 'exec', this.netns, process.execPath, '-e', TCP_PROBE, host, String(port), String(timeoutMs)], { timeoutMs: timeoutMs + 2000 })).code === 0;
    return new Promise<boolean>((resolve) => {
      const s = connect(port, host);
      s.setTimeout(timeoutMs, () => { s.destroy(); resolve(false); });
      s.on('connect', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
  }
}
