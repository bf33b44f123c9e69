import t from 'tap';
import { Registry, Histogram } from './metrics.js';

t.test('counters and gauges render as Prometheus text', async (t) => {
  const r = new Registry();
  const c = r.counter('dns_queries_total', 'DNS queries answered.');
  c.inc();
  c.inc(2, { rcode: 'NOERROR' });
  c.labels({ rcode: 'NXDOMAIN' }).inc();
  c.inc(1, { rcode: 'NOERROR' });
  const g = r.gauge('l4lb_backends', 'Backends per VIP.\nSecond line \\ here');
  g.set(3, { vip: '198.18.128.1:80', q: 'a"b' });
  g.labels({ vip: 'x' }).dec(2);
  t.equal(r.render(), [
    '# HELP dns_queries_total DNS queries answered.',
    '# TYPE dns_queries_total counter',
    'dns_queries_total 1',
    'dns_queries_total{rcode="NOERROR"} 3',
    'dns_queries_total{rcode="NXDOMAIN"} 1',
    '# HELP l4lb_backends Backends per VIP.\\nSecond line \\\\ here',
    '# TYPE l4lb_backends gauge',
    'l4lb_backends{q="a\\"b",vip="198.18.128.1:80"} 3',
    'l4lb_backends{vip="x"} -2',
    '',
  ].join('\n'));
  t.equal(c.get({ rcode: 'NOERROR' }), 3);
  t.equal(c.get({ rcode: 'SERVFAIL' }), 0);
  t.equal(g.get({ vip: 'x' }), -2);
  t.throws(() => c.inc(-1), /only go up/);
});

t.test('histogram buckets are cumulative', async (t) => {
  const r = new Registry();
  const h = r.histogram('sync_seconds', 'Rule sync time.', [0.1, 1, 0.5]);
  for (const v of [0.05, 0.1, 0.3, 2]) h.observe(v, { kind: 'ipset' });
  t.equal(r.render(), [
    '# HELP sync_seconds Rule sync time.',
    '# TYPE sync_seconds histogram',
    'sync_seconds_bucket{kind="ipset",le="0.1"} 2',
    'sync_seconds_bucket{kind="ipset",le="0.5"} 3',
    'sync_seconds_bucket{kind="ipset",le="1"} 3',
    'sync_seconds_bucket{kind="ipset",le="+Inf"} 4',
    'sync_seconds_sum{kind="ipset"} 2.45',
    'sync_seconds_count{kind="ipset"} 4',
    '',
  ].join('\n'));
  t.same(h.get({ kind: 'ipset' }), { count: 4, sum: 2.45 });
  const plain = new Histogram('p', 'h', [1]);
  plain.observe(0.5);
  t.match(plain.render(), /p_bucket\{le="1"\} 1\np_bucket\{le="\+Inf"\} 1\np_sum 0.5\np_count 1/);
  t.throws(() => new Histogram('bad', 'h', [1, 1]), /distinct/);
});

t.test('registry rules', async (t) => {
  const r = new Registry();
  t.equal(r.render(), '');
  t.equal(r.counter('a', 'x'), r.counter('a', 'x'), 'same name returns the same metric');
  t.throws(() => r.gauge('a', 'x'), /already registered as a counter/);
  t.throws(() => r.counter('bad-name', 'x'), /bad metric name/);
  t.throws(() => r.counter('ok', 'x').inc(1, { 'bad-label': 'v' }), /bad label name/);
  let n = 0;
  const g = r.gauge('age', 'x');
  r.onCollect(() => g.set(++n));
  t.match(r.render(), /age 1/);
  t.match(r.render(), /age 2/);
  g.reset();
  r.onCollect(() => undefined);
  t.match(r.render(), /age 3/);
});
