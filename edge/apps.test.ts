// Bad input never breaks generation: nonsense labels, missing fields, null tasks, unknown
// networking, duplicate service ports, broken templates — that app (or port) is left out with a
// reason and the others are rendered. Plus a seeded mutation fuzz over the conformance apps.
import t from 'tap';
import { decodeMarathonApps, type MarathonApp } from '../src/kernel/marathon.js';
import { generate, type GenerateOptions } from './generate.js';
import { loadTemplates } from './templates.js';
import { caseApps, listCases, loadCase } from './testing/conformance.js';

const opts: GenerateOptions = {
  groups: ['*'], bindHttpHttps: true, sslCerts: '', haproxyMap: false, haproxyConfig: '/etc/haproxy/haproxy.cfg',
  groupHttpsByVhost: false, healthCheck: false, strictMode: false, minServicePort: 10050, maxServicePort: 10100,
};
const T = loadTemplates();
const ip = (h: string): string | undefined => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? h : undefined);
const task = (id: string, port: number): Record<string, unknown> => ({ id, host: '10.0.0.1', ports: [port], state: 'TASK_RUNNING' });
const good = { id: '/good', labels: {}, portDefinitions: [{ port: 10000 }], tasks: [task('g1', 31000)] };

function gen(raw: unknown[], o: Partial<GenerateOptions> = {}): ReturnType<typeof generate> {
  const d = decodeMarathonApps({ apps: raw });
  return generate(d.apps, { ...opts, ...o }, T, ip);
}

t.test('one bad app or port is left out with a reason; the good app stays', async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['AUTH without three parts', { HAPROXY_0_AUTH: 'realm-only', HAPROXY_0_VHOST: 'x.example' }, /HAPROXY_0_AUTH: want realm:user:password/],
    ['PORT not an int', { HAPROXY_0_PORT: 'eighty' }, /HAPROXY_0_PORT: want an integer/],
    ['BACKEND_WEIGHT not an int', { HAPROXY_0_BACKEND_WEIGHT: '1.5' }, /want an integer/],
    ['template with unknown field', { HAPROXY_0_BACKEND_HEAD: '\nbackend {nope}\n' }, /unknown template field '\{nope\}'/],
    ['template with a lone brace', { HAPROXY_0_FRONTEND_HEAD: '\nfrontend {backend\n' }, /single '\{'/],
    ['health-check port index out of range', { HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX: '1' }, /out of range|no backend/],
  ];
  for (const [name, labels, reason] of cases) {
    const badApp = { id: '/bad', labels, portDefinitions: [{ port: 10001 }], tasks: [task('b1', 31001)],
      healthChecks: name.startsWith('health') ? [{ protocol: 'HTTP', portIndex: 0 }] : [] };
    const g = gen([good, badApp]);
    t.ok(g.ok, name);
    if (!g.ok) continue;
    t.match(g.value.config, /backend good_10000/, `${name}: good app rendered`);
    t.notMatch(g.value.config, /bad_100/, `${name}: bad port not rendered`);
    t.equal(g.value.skipped.length, 1, `${name}: one skip`);
    t.match(g.value.skipped[0]?.reason, reason, `${name}: reason`);
  }
});

t.test('a bad port leaves the other ports of the app', async (t) => {
  const app = { id: '/two', labels: { HAPROXY_1_PORT: 'x' }, portDefinitions: [{ port: 10010 }, { port: 10011 }],
    tasks: [{ id: 't', host: '10.0.0.2', ports: [31010, 31011], state: 'TASK_RUNNING' }] };
  const g = gen([app]);
  t.ok(g.ok);
  if (g.ok) {
    t.match(g.value.config, /backend two_10010/);
    t.notMatch(g.value.config, /two_10011/);
    t.same(g.value.skipped.map((s) => s.servicePort), [10011]);
  }
});

t.test('missing fields, null tasks, unknown networking, duplicate service ports: no throw', async (t) => {
  const weird = [
    { id: '/nulls', labels: null, tasks: null, portDefinitions: null },
    { id: '/no-host', portDefinitions: [{ port: 10020 }], tasks: [{ id: 'x', ports: [1] }, { id: 'y', host: '', ports: [2] }] },
    { id: '/odd-net', networks: [{ mode: 'carrier-pigeon' }], portDefinitions: [{ port: 10021 }], tasks: [task('o', 31021)] },
    { id: '/dup', portDefinitions: [{ port: 10022 }, { port: 10022 }], tasks: [{ id: 'd', host: '10.0.0.3', ports: [1, 2], state: 'TASK_RUNNING' }] },
    { id: '/ipt', ipAddress: { discovery: { ports: [{ number: 80 }] } }, tasks: [{ id: 'i', host: 'h', ipAddresses: [] }] },
    { id: '/zdd-bad', labels: { HAPROXY_DEPLOYMENT_GROUP: 'g', HAPROXY_DEPLOYMENT_STARTED_AT: 'yesterday-ish' }, tasks: [] },
    { id: '/zdd-bad2', labels: { HAPROXY_DEPLOYMENT_GROUP: 'g', HAPROXY_DEPLOYMENT_STARTED_AT: '2020-01-01T00:00:00Z' }, tasks: [] },
    { id: '/empty-group', labels: { HAPROXY_DEPLOYMENT_GROUP: '' } },
  ];
  const g = gen([good, ...weird]);
  t.ok(g.ok);
  if (g.ok) {
    t.match(g.value.config, /backend good_10000/);
    t.notMatch(g.value.config, /odd-net/, 'unknown networking mode: no task ports known, so no backend (as marathon-lb)');
    t.equal(g.value.config.match(/^backend dup_10022$/gm)?.length, 1, 'duplicate service port rendered once');
    t.ok(g.value.skipped.some((s) => s.appId === '/g' && /STARTED_AT/.test(s.reason)), 'unparsable deployment date reported');
    t.ok(g.value.skipped.some((s) => s.appId === '/empty-group'), 'empty deployment group reported');
  }
});

t.test('global problems are errors, not exceptions', async (t) => {
  const d = decodeMarathonApps({ apps: [good] });
  const noGroups = generate(d.apps, { ...opts, groups: [] }, T, ip);
  t.notOk(noGroups.ok, 'no --group with an app without groups');
  const badHead = generate(d.apps, opts, loadTemplates({ env: { HAPROXY_HEAD: 'global\n  daemon\n' } }), ip);
  t.notOk(badHead.ok, 'HEAD with daemon and without expose-fd is refused (marathon-lb 1.12 guard)');
  const badHttps = generate(d.apps, opts, loadTemplates({ env: { HAPROXY_HTTPS_FRONTEND_HEAD: '{oops}' } }), ip);
  t.notOk(badHttps.ok, 'unformattable global template');
});

// Deterministic PRNG (mulberry32): the fuzz is reproducible.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('mutation fuzz over the conformance apps never throws', async (t) => {
  const rand = rng(20240601);
  const junk = [null, '', '{', '}', '{x}', 'a:b', '-1', '99999999999', 'TRUE', ' ', '\r\n', '*', ',', 0, [], {}];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let runs = 0;
  for (const file of [...listCases('generated'), ...listCases('cases').slice(0, 46)]) {
    const c = loadCase(file);
    for (let i = 0; i < 4; i++) {
      const apps = JSON.parse(JSON.stringify(c.apps)) as Record<string, unknown>[];
      for (const a of apps) {
        const labels = (a.labels ?? {}) as Record<string, unknown>;
        const keys = ['HAPROXY_0_VHOST', 'HAPROXY_0_PATH', 'HAPROXY_0_AUTH', 'HAPROXY_0_PORT', 'HAPROXY_0_BACKEND_WEIGHT',
          'HAPROXY_0_BACKEND_HEAD', 'HAPROXY_0_MODE', 'HAPROXY_GROUP', 'HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX', 'HAPROXY_DEPLOYMENT_GROUP'];
        labels[pick(keys)] = pick(junk);
        a.labels = labels;
        if (rand() < 0.3) a.tasks = pick([null, [], [{}], [{ id: 1 }], a.tasks]);
        if (rand() < 0.2) a.portDefinitions = pick([null, [{}], [{ port: 'x' }], [{ port: 10000 }, { port: 10000 }]]);
      }
      const d = decodeMarathonApps({ apps });
      const o = { ...opts, haproxyMap: rand() < 0.5, groupHttpsByVhost: rand() < 0.3, healthCheck: rand() < 0.5 };
      const r = generate(d.apps as MarathonApp[], o, T, () => '10.9.9.9');
      if (!r.ok) t.fail(`${file}: ${r.error}`);
      runs++;
    }
  }
  t.ok(runs > 200, `${runs} mutated documents generated without throwing`);
  t.ok(caseApps(loadCase(listCases('cases')[0]!)).apps.length > 0);
});
