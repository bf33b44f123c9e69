// CLI contract: `mesonet edge config --apps FILE [marathon-lb flags]` prints the haproxy.cfg that
// `marathon_lb.py --dry` prints (config, then print()'s newline), for every conformance case whose
// task hosts need no DNS (IP literals) — flags and environment taken from the case.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
const mlb = resolve(root, '../shared/conformance/marathon-lb');
const bin = resolve(root, 'bin/mesonet.js');

interface Case {
  args: Record<string, unknown> & { group: string[] };
  env: Record<string, string>;
  apps: { tasks?: { host?: string }[] }[];
  expected_config: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [bin, 'edge', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
      res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }));
  });
}

function flags(a: Case['args']): string[] {
  const out = a.group.flatMap((g) => ['--group', g]);
  if (a.dont_bind_http_https) out.push('--dont-bind-http-https');
  if (a.ssl_certs) out.push('--ssl-certs', String(a.ssl_certs));
  if (a.haproxy_map) out.push('--haproxy-map');
  if (a.group_https_by_vhost) out.push('--group-https-by-vhost');
  if (a.health_check) out.push('--health-check');
  if (a.strict_mode) out.push('--strict-mode');
  if (a.haproxy_config !== '/etc/haproxy/haproxy.cfg') out.push('--haproxy-config', String(a.haproxy_config));
  if (a.min_serv_port_ip_per_task !== undefined) out.push('--min-serv-port-ip-per-task', String(a.min_serv_port_ip_per_task));
  if (a.max_serv_port_ip_per_task !== undefined) out.push('--max-serv-port-ip-per-task', String(a.max_serv_port_ip_per_task));
  return out;
}

t.test('edge config prints what marathon_lb.py --dry prints', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mesonet-edge-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let checked = 0;
  for (const sub of ['cases', 'generated']) {
    for (const f of readdirSync(resolve(mlb, sub)).sort()) {
      const c = JSON.parse(readFileSync(resolve(mlb, sub, f), 'utf8')) as Case;
      const hosts = c.apps.flatMap((a) => (a.tasks ?? []).map((x) => x.host ?? ''));
      if (!hosts.every((h) => h === '' || isIP(h))) continue;
      if (sub === 'cases' && Number(f.slice(0, 3)) > 46) continue; // 047-138 repeat 001-046 with other options
      const file = join(dir, f);
      writeFileSync(file, JSON.stringify({ apps: c.apps }));
      const r = await run(['config', '--apps', file, '--legacy-directives', ...flags(c.args)], c.env);
      t.equal(r.code, 0, `${f}: exit 0`, { stderr: r.stderr });
      t.equal(r.stdout, `${c.expected_config}\n`, `${f}: stdout`);
      checked++;
    }
  }
  t.ok(checked >= 6, `${checked} cases through the CLI`);
});

t.test('errors', async (t) => {
  const missing = await run(['config', '--apps', '/nonexistent/apps.json', '--group', 'x']);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /cannot read/);
  const noGroup = await run(['config', '--apps', '/dev/null']);
  t.equal(noGroup.code, 2, 'no --group is a usage error');
  t.match(noGroup.stderr, /--group/);
  const badFlag = await run(['config', '--no-such-flag']);
  t.equal(badFlag.code, 2);
  const stdin = await new Promise<{ code: number; stdout: string }>((res) => {
    const p = execFile(process.execPath, [bin, 'edge', 'config', '--apps', '-', '--group', '*'], (e, stdout) => res({ code: e ? 1 : 0, stdout }));
    p.stdin!.end('{"apps":[{"id":"/s","portDefinitions":[{"port":10500}],"tasks":[{"id":"t","host":"10.1.2.3","ports":[31000]}]}]}');
  });
  t.equal(stdin.code, 0);
  t.match(stdin.stdout, /server 10_1_2_3_31000 10\.1\.2\.3:31000 id \d+\n\n$/, 'apps from stdin; output ends like print()');
  t.match(stdin.stdout, /bind \*:443 ssl crt \/etc\/ssl\/cert\.pem\n/, 'default certificate');
});
