import t from 'tap';
import { AGENT_DEFAULTS, MARATHON_DEFAULTS, MASTER_DEFAULTS, parseAgentConfig, parseMarathonConfig, parseMasterConfig } from './config.js';

t.test('defaults are frozen and parse from an empty input', async (t) => {
  t.ok(Object.isFrozen(MASTER_DEFAULTS) && Object.isFrozen(AGENT_DEFAULTS) && Object.isFrozen(MARATHON_DEFAULTS));
  const m = parseMasterConfig({});
  t.ok(m.ok);
  if (m.ok) { t.equal(m.value.port, 5050); t.equal(m.value.hostname, '127.0.0.1', 'hostname defaults to the ip'); t.equal(m.value.workDir, undefined); }
  const a = parseAgentConfig({});
  if (a.ok) t.equal(a.value.port, 5051); else t.fail('agent defaults');
  const mm = parseMarathonConfig({});
  if (mm.ok) t.equal(mm.value.port, 8080); else t.fail('marathon defaults');
});

t.test('flag strings are coerced; every problem is reported at once', async (t) => {
  const ok = parseMasterConfig({ port: '0', agentTimeoutSeconds: '0.5', ip: '198.18.0.11' });
  t.ok(ok.ok && ok.value.port === 0 && ok.value.agentTimeoutSeconds === 0.5 && ok.value.hostname === '198.18.0.11');
  const bad = parseMasterConfig({ port: '70000', ip: 'not-an-ip', agentTimeoutSeconds: 'x', bogus: 1 });
  t.notOk(bad.ok);
  if (!bad.ok) t.same(bad.error.map((p) => p.path).sort(), ['agentTimeoutSeconds', 'bogus', 'ip', 'port']);
});

t.test('agent and marathon specifics', async (t) => {
  const a = parseAgentConfig({ master: '198.18.0.11:5050', netnsPrefix: 'bad prefix!' });
  t.notOk(a.ok);
  if (!a.ok) t.same(a.error.map((p) => p.path), ['netnsPrefix']);
  const a2 = parseAgentConfig({ master: '198.18.0.11:5050' });
  t.ok(a2.ok && a2.value.master === 'http://198.18.0.11:5050', 'host:port becomes a URL');
  const m = parseMarathonConfig({ localPortMin: 20000, localPortMax: 10000, frameworkName: 'a b' });
  t.notOk(m.ok);
  if (!m.ok) t.same(m.error.map((p) => p.path).sort(), ['frameworkName', 'localPortMin']);
});
