// Marathon apps codec: real fixtures from marathon-lb's test suite, cleanup_json unit data, and the
// tolerance rules (malformed app/task skipped with its path, the rest kept).
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMarathonApp, decodeMarathonApps, dropNulls, parseMarathonApps, parseMarathonEvent } from './marathon.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
const mlb = resolve(root, '../shared/conformance/marathon-lb');
const read = (p: string): string => readFileSync(resolve(mlb, p), 'utf8');

t.test('unit/cleanup-json.json (marathon-lb cleanup_json)', async (t) => {
  const d = JSON.parse(read('unit/cleanup-json.json')) as { cases: { input_json_text: string; expected: unknown }[] };
  t.equal(d.cases.length, 6);
  for (const c of d.cases) t.same(dropNulls(JSON.parse(c.input_json_text)), c.expected, c.input_json_text);
});

t.test('fixture marathon15_apps.json: Marathon 1.5 app with tasks', async (t) => {
  const { apps, problems } = parseMarathonApps(read('fixtures/marathon15_apps.json'));
  t.same(problems, []);
  t.equal(apps.length, 1);
  const a = apps[0]!;
  t.equal(a.id, '/pywebserver');
  t.equal(a.container?.type, 'DOCKER');
  t.equal(a.container?.portMappings?.[0]?.containerPort, 80);
  t.equal(a.container?.portMappings?.[0]?.name, 'test');
  t.ok(a.networks.length > 0, 'networks decoded');
  t.ok(a.tasks.length > 0, 'tasks decoded');
  t.type(a.tasks[0]!.host, 'string');
});

t.test('every fixture decodes without problems', async (t) => {
  const files = ['fixtures/zdd_apps.json', 'fixtures/zdd_app_blue.json', 'fixtures/zdd_app_blue_marathon1.5.json'];
  for (const f of files) {
    const d = parseMarathonApps(read(f));
    t.same(d.problems, [], f);
    t.ok(d.apps.length > 0, `${f}: apps`);
  }
  for (const dir of ['fixtures/ci-backends', 'fixtures/ci-backends-1.9']) {
    for (const f of readdirSync(resolve(mlb, dir))) {
      const r = decodeMarathonApp(JSON.parse(read(`${dir}/${f}`)), f);
      t.ok(r.ok, `${dir}/${f}`);
    }
  }
  const zdd = parseMarathonApps(read('fixtures/zdd_apps.json')).apps;
  t.ok(zdd.some((a) => a.labels.HAPROXY_DEPLOYMENT_GROUP !== undefined), 'labels kept');
  t.ok(zdd.some((a) => a.lastScalingAt !== undefined), 'versionInfo.lastScalingAt kept');
});

t.test('tolerance: a malformed app or task is skipped with its path, the rest kept', async (t) => {
  const doc = {
    apps: [
      { id: '/good', labels: { HAPROXY_GROUP: 'external', NUM: 3 }, portDefinitions: [{ port: 10000 }], unknownField: { x: 1 },
        tasks: [{ id: 't1', host: 'a', ports: [31000], state: 'TASK_RUNNING' }, { id: 't2', host: 'b', ports: ['x'] }, 'junk'] },
      { id: '/bad-ports', portDefinitions: { port: 1 } },
      { labels: {} },
      null,
      { id: '/nulls', labels: null, tasks: null, healthChecks: null, ipAddress: null, container: null },
      { id: '/ok2', healthChecks: [{ protocol: 'TCP', portIndex: 0, command: { value: 'true' } }], ipAddress: {} },
    ],
  };
  const { apps, problems } = decodeMarathonApps(doc);
  t.same(apps.map((a) => a.id), ['/good', '/nulls', '/ok2']);
  const good = apps[0]!;
  t.same(good.tasks.map((x) => x.id), ['t1'], 'only the well-formed task kept');
  t.same(good.labels, { HAPROXY_GROUP: 'external' }, 'non-string label dropped');
  t.same(good.portDefinitions?.map((p) => p.port), [10000]);
  const paths = problems.map((p) => p.path);
  t.ok(paths.includes('apps[0].tasks[1].ports[0]'), 'bad task port reported with its path');
  t.ok(paths.includes('apps[0].tasks[2]'), 'non-object task reported');
  t.ok(paths.includes('apps[0].labels.NUM'), 'bad label reported');
  t.ok(paths.includes('apps[1].portDefinitions'), 'bad app reported');
  t.ok(paths.includes('apps[2].id'), 'app without id reported');
  t.ok(paths.includes('apps[3]'), 'null app reported');
  const nulls = apps[1]!;
  t.same([nulls.tasks, nulls.healthChecks, nulls.labels, nulls.ipAddress, nulls.container], [[], [], {}, undefined, undefined]);
  const ok2 = apps[2]!;
  t.equal(ok2.ipAddress, undefined, 'empty ipAddress object is not IP-per-task');
  t.equal(ok2.healthChecks[0]?.command, 'true');
  t.equal(ok2.portDefinitions, undefined, 'absent portDefinitions stays absent');
});

t.test('documents that are not app lists', async (t) => {
  t.equal(parseMarathonApps('{not json').problems.length, 1);
  t.same(parseMarathonApps('{"apps": []}'), { apps: [], problems: [] });
  t.equal(decodeMarathonApps(42).problems[0]?.path, '');
  t.same(decodeMarathonApps({ app: { id: '/x' } }).apps.map((a) => a.id), ['/x'], '{app:{…}} (GET /v2/apps/x)');
});

t.test('SSE event envelope', async (t) => {
  const e = parseMarathonEvent('{"eventType":"status_update_event","taskStatus":"TASK_RUNNING","appId":"/web","taskId":"web.1","message":null}');
  t.ok(e.ok);
  if (e.ok) {
    t.equal(e.value.eventType, 'status_update_event');
    t.equal(e.value.appId, '/web');
    t.notOk('message' in e.value.raw, 'nulls dropped');
  }
  t.notOk(parseMarathonEvent('{"x":1}').ok, 'eventType required');
  t.notOk(parseMarathonEvent('nope').ok);
});
