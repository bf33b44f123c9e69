// Makes a marathon-lb style haproxy.cfg checkable on this machine with `haproxy -c`: its absolute
// paths (/marathon-lb/*.lua, certificates, the stats socket and state directory) point into a
// temporary directory holding stub Lua services and a throwaway self-signed certificate. Test
// support only (writes files, runs openssl).
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/io/exec.js';

const SERVICES = ['getpids', 'getconfig', 'getvhostmap', 'getappmap', 'signalmlbhup', 'signalmlbusr1'];

export interface CheckDir {
  readonly dir: string;
  /** Rewrite a config's machine paths into this directory. */
  rewrite(config: string): string;
  remove(): void;
}

export async function makeCheckDir(): Promise<CheckDir> {
  const dir = mkdtempSync(join(tmpdir(), 'mesonet-edge-check-'));
  mkdirSync(join(dir, 'state'));
  const stub = SERVICES.map((s) => `core.register_service("${s}", "http", function(applet) applet:set_status(200) applet:start_response() end)\n`).join('');
  for (const f of ['getpids', 'getconfig', 'getmaps', 'signalmlb']) writeFileSync(join(dir, `${f}.lua`), f === 'getpids' ? stub : '');
  const key = join(dir, 'key.pem');
  const crt = join(dir, 'crt.pem');
  const r = await exec('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', crt, '-days', '2', '-subj', '/CN=mesonet-test'], { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  const pem = join(dir, 'cert.pem');
  writeFileSync(pem, readFileSync(crt, 'utf8') + readFileSync(key, 'utf8'));
  return {
    dir,
    rewrite: (config) => config
      .replaceAll('/marathon-lb/', `${dir}/`)
      .replace(/\bcrt \S+/g, `crt ${pem}`)
      .replaceAll('/var/run/haproxy/socket', join(dir, 'socket'))
      .replaceAll('/var/state/haproxy/', `${dir}/state/`)
      .replaceAll('/etc/haproxy/', `${dir}/`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
