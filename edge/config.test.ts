// Flags → EdgeConfig: marathon-lb's defaults, and every problem reported at once.
import t from 'tap';
import { parseArgs } from 'node:util';
import { DEFAULTS, FLAGS, parseEdgeConfig, type FlagValues } from './config.js';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseEdgeConfig(parseArgs({ args: argv, options: FLAGS, strict: true }).values as FlagValues, env);

t.test('marathon-lb defaults', async (t) => {
  const r = parse(['--group', 'external']);
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.value.marathon, ['http://master.mesos:8080']);
  t.equal(r.value.haproxyConfig, '/etc/haproxy/haproxy.cfg');
  t.equal(r.value.sslCerts, '/etc/ssl/cert.pem');
  t.equal(r.value.minServPortIpPerTask, 10050);
  t.equal(r.value.maxServPortIpPerTask, 10100);
  t.equal(r.value.statsPort, 9090);
  t.equal(r.value.resyncIntervalS, 300);
  t.ok(Object.isFrozen(r.value) && Object.isFrozen(DEFAULTS));
});

t.test('flags', async (t) => {
  const r = parse(['-m', 'http://a:8080,http://b:8080/', '-m', 'http://c:8080', '--group', 'x', '--group', '*', '-H', '--haproxy-map',
    '--ssl-certs', '/a.pem,/b.pem', '--stats-port', '0', '--log-level', 'DEBUG'], { FRAMEWORK_NAME: 'mlb' });
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.value.marathon, ['http://a:8080', 'http://b:8080', 'http://c:8080']);
  t.same(r.value.groups, ['x', '*']);
  t.equal(r.value.healthCheck, true);
  t.equal(r.value.haproxyMap, true);
  t.equal(r.value.logLevel, 'debug');
  t.equal(r.value.frameworkName, 'mlb');
});

t.test('every problem at once', async (t) => {
  const r = parse(['--marathon', 'ftp://x', '--min-serv-port-ip-per-task', '20000', '--max-serv-port-ip-per-task', '100',
    '--stats-port', 'abc', '--log-level', 'loud', '--auth-credentials', 'nocolon']);
  t.notOk(r.ok);
  if (r.ok) return;
  const paths = r.error.map((p) => p.path).sort();
  t.same(paths, ['--auth-credentials', '--group', '--log-level', '--marathon', '--min-serv-port-ip-per-task', '--stats-port']);
});
