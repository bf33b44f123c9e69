// Tracing haproxy -c errors to the apps that own the blamed sections.
import t from 'tap';
import { blamedApps, blamedLines, fingerprints, firstBreaking, sectionsOf } from './validate.js';

const cfg = ['global', '  maxconn 1', 'frontend marathon_http_in', '  bind *:80', '  use_backend web_1 if x', '',
  'frontend web_1', '  bind *:1', 'backend web_1', '  bogus', 'userlist user_api_2', '  user a password b'].join('\n');
const out = `[ALERT] (1) : config : parsing [/tmp/c.cfg:10] : unknown keyword 'bogus' in 'backend' section
[ALERT] (1) : config : parsing [/tmp/c.cfg:12] : bad
[ALERT] (1) : config : parsing [/tmp/other.cfg:3] : not ours`;

t.test('lines → sections → apps', async (t) => {
  t.same(blamedLines(out, '/tmp/c.cfg'), [10, 12]);
  t.same(sectionsOf(cfg, [10, 12]), ['backend web_1', 'userlist user_api_2']);
  const owners = new Map([['web_1', '/web'], ['api_2', '/api']]);
  t.same(blamedApps(['backend web_1', 'userlist user_api_2'], owners), { apps: ['/api', '/web'], shared: false });
  t.same(blamedApps(sectionsOf(cfg, [5]), owners), { apps: [], shared: true }, 'the shared :80 frontend names no app');
});

t.test('firstBreaking finds the culprit by halving', async (t) => {
  const apps = ['/a', '/b', '/c', '/d', '/e', '/f', '/g'];
  let calls = 0;
  const validWith = (bad: string) => async (k: number): Promise<boolean> => { calls++; return !apps.slice(0, k).includes(bad); };
  for (const bad of apps) t.same(await firstBreaking(apps, validWith(bad)), [bad], bad);
  t.ok(calls <= apps.length * 6, `few checks (${calls})`);
  t.same(await firstBreaking(apps, async () => true), [], 'nothing breaks');
  t.same(await firstBreaking(apps, async () => false), [], 'broken without any app: no app to blame');
});

t.test('fingerprints ignore tasks and follow deployment groups', async (t) => {
  const base = { instances: 1, env: {}, portDefinitions: undefined, ports: undefined, container: undefined, networks: [],
    ipAddress: undefined, healthChecks: [], version: undefined, lastScalingAt: undefined, lastConfigChangeAt: undefined };
  const a = { ...base, id: '/a', labels: { X: '1' }, tasks: [] };
  const a2 = { ...a, tasks: [{ id: 't' } as never] };
  const b = { ...base, id: '/b-blue', labels: { HAPROXY_DEPLOYMENT_GROUP: 'b' }, tasks: [] };
  const f1 = fingerprints([a, b]);
  t.equal(f1.get('/a'), fingerprints([a2]).get('/a'), 'tasks do not change it');
  t.not(f1.get('/a'), fingerprints([{ ...a, labels: { X: '2' } }]).get('/a'), 'labels do');
  t.ok(f1.has('/b'), 'keyed by deployment group');
});
