// A fake CNI plugin for tests, written out as an executable Node script. It follows the protocol
// (CNI_* env, conf on stdin, result or error JSON on stdout) and appends every invocation
// (command, env, stdin conf) as one JSON line to the conf's "logFile". On ADD it gives the namespace
// a veth pair `eth0`/`peer0` (both ends inside it) with the conf's "address" (e.g. "198.19.5.2/24") — entirely inside the task's
// namespace, nothing in the caller's — and returns a CNI 1.0.0 result. DEL only logs (the namespace
// removal takes the links with it). VERSION answers the supported versions.
import { writeFile, chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const SCRIPT = String.raw`#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const conf = JSON.parse(input || '{}');
  const cmd = process.env.CNI_COMMAND;
  const env = {};
  for (const k of ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH', 'CNI_ARGS']) if (process.env[k] !== undefined) env[k] = process.env[k];
  if (conf.logFile) appendFileSync(conf.logFile, JSON.stringify({ command: cmd, env, conf }) + '\n');
  const fail = (code, msg) => { process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, code, msg })); process.exit(1); };
  if (cmd === 'VERSION') { process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', supportedVersions: ['0.4.0', '1.0.0'] })); return; }
  if (cmd === 'ADD') {
    if (!process.env.CNI_CONTAINERID || !process.env.CNI_NETNS || !process.env.CNI_IFNAME) fail(4, 'missing CNI_CONTAINERID/CNI_NETNS/CNI_IFNAME');
    if (conf.fail) fail(11, 'asked to fail');
    const ns = '--net=' + process.env.CNI_NETNS;
    const ifname = process.env.CNI_IFNAME;
    try {
      execFileSync('nsenter', [ns, 'ip', 'link', 'add', ifname, 'type', 'veth', 'peer', 'name', 'peer0']);
      execFileSync('nsenter', [ns, 'ip', 'link', 'set', 'peer0', 'up']);
      execFileSync('nsenter', [ns, 'ip', 'addr', 'add', conf.address, 'dev', ifname]);
      execFileSync('nsenter', [ns, 'ip', 'link', 'set', ifname, 'up']);
    } catch (e) { fail(11, 'cannot configure ' + ifname + ': ' + e.message); }
    process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, interfaces: [{ name: ifname, sandbox: process.env.CNI_NETNS }],
      ips: [{ address: conf.address, interface: 0 }], routes: [], dns: {} }));
    return;
  }
  if (cmd === 'DEL' || cmd === 'CHECK') return;
  fail(4, 'unknown CNI_COMMAND ' + cmd);
});
`;

export interface FakeCni { readonly pluginDir: string; readonly confDir: string; readonly logFile: string }

/** Install the plugin as `<dir>/plugins/fake-cni` and a conf for `network` in `<dir>/conf`. */
export async function installFakeCni(dir: string, network: string, address: string, extra: Record<string, unknown> = {}): Promise<FakeCni> {
  const pluginDir = join(dir, 'plugins');
  const confDir = join(dir, 'conf');
  const logFile = join(dir, 'cni.log');
  await mkdir(pluginDir, { recursive: true });
  await mkdir(confDir, { recursive: true });
  await writeFile(join(pluginDir, 'fake-cni'), SCRIPT);
  await chmod(join(pluginDir, 'fake-cni'), 0o755);
  await writeFile(join(confDir, `10-${network}.conf`), JSON.stringify({ cniVersion: '1.0.0', name: network, type: 'fake-cni', address, logFile, ...extra }));
  return { pluginDir, confDir, logFile };
}
