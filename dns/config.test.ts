import t from 'tap';
import { DEFAULTS, parseConfig, publicConfig, validateDomain, validateMasters, validateResolvers, validateZoneResolvers } from './config.js';
import { expectedJson, generatedJson } from './testing/fixtures.js';

const expected = expectedJson();

t.test('conformance: validation', async (t) => {
  let n = 0;
  for (const c of expected.validation.cases) {
    const name: string = c.test;
    let problems;
    if (name.startsWith('TestValidateDomain')) problems = validateDomain(c.input);
    else if (name.startsWith('TestValidateMasters')) problems = validateMasters(c.input);
    else if (name.startsWith('TestValidateResolvers')) problems = validateResolvers(c.input);
    else if (name.startsWith('TestValidateZoneResolvers')) problems = validateZoneResolvers(c.input, c.mesos_domain);
    else if (name.startsWith('TestNewConfigValidates')) { const r = parseConfig(c.input); problems = r.ok ? [] : r.error; }
    else { t.fail(`unknown validation case ${name}`); continue; }
    t.equal(problems.length === 0, c.valid, `${name} ${JSON.stringify(c.input)}${problems.length ? ` → ${problems.map((p) => p.message).join('; ')}` : ''}`);
    n++;
  }
  t.equal(n, 59);
});

t.test('defaults are mesos-dns NewConfig; the config body matches upstream /v1/config', async (t) => {
  t.ok(Object.isFrozen(DEFAULTS));
  const upstream = generatedJson().http.responses['/v1/config'].body;
  const r = parseConfig({ masters: ['144.76.157.37:5050'], IPSources: ['netinfo', 'docker', 'mesos', 'host'], RecurseOn: false, SOAMname: 'ns1.mesos', SOARname: 'root.ns1.mesos' });
  t.ok(r.ok);
  if (!r.ok) return;
  const body = publicConfig(r.value) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(upstream)) {
    if (k === 'SOAMname' || k === 'SOARname') t.equal(body[k], `${v}.`, `${k} made fully qualified`);
    else t.same(body[k], v, `/v1/config ${k}`);
  }
});

t.test('keys are case-insensitive; every problem is reported at once', async (t) => {
  const a = parseConfig({ MASTERS: ['10.0.0.1:5050'], refreshseconds: 5, ns: 'ignored', domain: 'Foo.Bar' });
  t.ok(a.ok);
  if (a.ok) { t.equal(a.value.RefreshSeconds, 5); t.equal(a.value.Domain, 'foo.bar'); t.equal(a.value.SOAMname, 'ns1.mesos.'); }
  const b = parseConfig({ masters: ['x'], port: 'fifty', IPSources: ['wat'], stateTimeoutSeconds: 0, domain: 'bad..domain', resolvers: ['nope'], DnsOn: false, HttpOn: false });
  t.notOk(b.ok);
  if (!b.ok) {
    const paths = b.error.map((p) => p.path).sort();
    t.same(paths, ['DnsOn', 'Domain', 'IPSources', 'Port', 'StateTimeoutSeconds', 'masters', 'resolvers'].sort());
  }
  const c = parseConfig({ zk: 'zk://a:2181/mesos', resolvers: [], ExternalOn: true }, { localResolvers: ['198.18.0.1'] });
  t.ok(c.ok && c.value.Resolvers[0] === '198.18.0.1', 'empty resolvers fall back to resolv.conf');
  const d = parseConfig({ masters: ['a:1'], SOARname: 'root@ns1.mesos.', mesosCredentials: { principal: 'p', secret: 's3cret' } });
  t.ok(d.ok);
  if (d.ok) {
    t.equal(d.value.SOARname, 'root.ns1.mesos.');
    t.notMatch(JSON.stringify(publicConfig(d.value)), /s3cret/, 'secret never printed');
  }
  t.notOk(parseConfig([]).ok);
});
