import t from 'tap';
import { cleanQueryName, planForward, QTYPE, RCODE, resolve, type RR } from './resolve.js';
import { expectedJson, generatedJson } from './testing/fixtures.js';
import { resolverFixture } from './testing/resolver-fixture.js';

const expected = expectedJson();
const generated = generatedJson();
const { zone } = resolverFixture();
const opts = { recurseOn: false, srvWeight: 1 };
const RCODE_NAME: Record<number, string> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };
const noDot = (s: string) => s.replace(/\.$/, '');

/** miekg/dns presentation format, with the trailing dot of SOA/NS data names dropped (see README). */
function present(rr: RR): string {
  const head = `${rr.name}\t${rr.ttl}\tIN\t${rr.type}\t`;
  switch (rr.type) {
    case 'A': case 'AAAA': return head + rr.address;
    case 'SRV': return head + `${rr.priority} ${rr.weight} ${rr.port} ${rr.target}`;
    case 'NS': case 'PTR': return head + noDot(rr.target);
    case 'SOA': return head + `${noDot(rr.mname)} ${noDot(rr.rname)} ${rr.serial} ${rr.refresh} ${rr.retry} ${rr.expire} ${rr.minimum}`;
  }
}
function fromExpected(r: { name: string; type: string; ttl: number; data: any }): string {
  const d = r.data;
  const data = r.type === 'SRV' ? `${d.priority} ${d.weight} ${d.port} ${d.target}`
    : r.type === 'SOA' ? `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minttl}` : d;
  return `${r.name}\t${r.ttl}\tIN\t${r.type}\t${data}`;
}
let seed = 1;
const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);

t.test('conformance: resolver (runHandlers)', async (t) => {
  t.equal(expected.resolver.cases.length, 12);
  for (const c of expected.resolver.cases) {
    const res = resolve(zone, c.qname, QTYPE[c.qtype as keyof typeof QTYPE], opts, random);
    if (c.handler !== 'mesos') {
      t.equal(res.kind, 'forward', `${c.test}: not ours → forwarded`);
      t.same(planForward(c.qname, { externalOn: true, resolvers: ['198.18.0.53'], zoneResolvers: {} }), { resolvers: ['198.18.0.53'] });
      continue;
    }
    if (res.kind !== 'reply') { t.fail(`${c.test}: expected a reply`); continue; }
    const r = res.reply;
    t.equal(RCODE_NAME[r.rcode], c.rcode, `${c.test} rcode`);
    t.same({ aa: r.aa, ra: r.ra }, { aa: c.flags.aa, ra: c.flags.ra }, `${c.test} flags`);
    for (const section of ['answer', 'authority', 'additional'] as const) {
      t.same(r[section].map(present).sort(), c[section].map(fromExpected).sort(), `${c.test} ${section}`);
    }
  }
});

t.test('generated-records.json: DNS replies', async (t) => {
  for (const c of generated.dns.responses) {
    const res = resolve(zone, c.qname, QTYPE[c.qtype as keyof typeof QTYPE] ?? 16 /* TXT */, opts, random);
    if (res.kind !== 'reply') { t.fail(`${c.qname} ${c.qtype}: expected a reply`); continue; }
    const r = res.reply;
    const label = `${c.qname} ${c.qtype}`;
    t.equal(RCODE_NAME[r.rcode], c.rcode, `${label} rcode`);
    t.equal(r.aa, c.aa, `${label} aa`);
    for (const section of ['answer', 'authority', 'additional'] as const) t.same(r[section].map(present).sort(), [...c[section]].sort(), `${label} ${section}`);
  }
});

t.test('conformance: misc.clean_wild', async (t) => {
  for (const c of expected.misc.clean_wild) t.equal(cleanQueryName(c.input), `${c.want}.`, c.test);
});

t.test('answers are shuffled by the injected randomness', async (t) => {
  const orders = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = resolve(zone, '_liquor-store._tcp.marathon.mesos.', QTYPE.SRV, opts, random);
    if (r.kind === 'reply') orders.add(r.reply.answer.map((x) => (x.type === 'SRV' ? `${x.target}:${x.port}` : '')).join(','));
  }
  t.ok(orders.size > 1, 'more than one order seen');
  const fixed = () => 0.999;
  const a = resolve(zone, '_liquor-store._tcp.marathon.mesos.', QTYPE.SRV, opts, fixed);
  const b = resolve(zone, '_liquor-store._tcp.marathon.mesos.', QTYPE.SRV, opts, fixed);
  t.same(a, b, 'same randomness, same order');
});

t.test('forward planning: zone resolvers, externalOn, REFUSED', async (t) => {
  const cfg = { externalOn: true, resolvers: ['198.18.0.1'], zoneResolvers: { 'corp.example': ['198.18.0.2'], 'a.corp.example': ['198.18.0.3'] } };
  t.same(planForward('x.a.corp.example.', cfg), { resolvers: ['198.18.0.3'] });
  t.same(planForward('x.corp.example.', cfg), { resolvers: ['198.18.0.2'] });
  t.same(planForward('example.com.', cfg), { resolvers: ['198.18.0.1'] });
  t.same(planForward('example.com.', { ...cfg, externalOn: false }), { refused: true });
  t.same(planForward('example.com.', { ...cfg, resolvers: [] }), { refused: true });
  t.equal(RCODE.REFUSED, 5);
});
