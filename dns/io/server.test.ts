// Loopback test of the whole daemon: UDP/TCP on 127.0.0.1 ephemeral ports, queried with `dig` and
// with dns2's clients; a second tiny dns2 server on loopback plays the upstream resolver.
import t from 'tap';
import { execFile } from 'node:child_process';
import dns2 from 'dns2';
import { startDaemon, type DnsDaemon } from './daemon.js';
import { parseConfig } from '../config.js';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { silentLogger } from '../../src/io/logger.js';
import { loadJson } from '../testing/fixtures.js';

const { Packet } = dns2;

function dig(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', ...args], { timeout: 10_000 }, (e, stdout) => (e ? reject(e) : resolve(stdout)));
  });
}
const status = (out: string) => /status: (\w+)/.exec(out)?.[1];
const flags = (out: string) => /;; flags: ([a-z ]+);/.exec(out)?.[1]?.split(' ') ?? [];
const answers = (out: string) => {
  const sec = /;; ANSWER SECTION:\n([\s\S]*?)\n\n/.exec(out)?.[1] ?? '';
  return sec.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(3).join(' '));
};

/** fake.json plus a "big" app of 60 RUNNING tasks with container IPs 198.19.0.1-60 (for truncation). */
function snapshot() {
  const doc = loadJson<any>('fake.json');
  const marathon = doc.frameworks.find((f: any) => f.name === 'marathon');
  for (let i = 1; i <= 60; i++) {
    marathon.tasks.push({
      id: `big.${i}`, name: 'big', slave_id: doc.slaves[1].id, state: 'TASK_RUNNING', framework_id: marathon.id, executor_id: '', resources: { ports: `[${31000 + i}-${31000 + i}]` },
      statuses: [{ state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ ip_address: `198.19.0.${i}` }] }] } }],
    });
  }
  const d = decodeMasterState(doc);
  if (d.problems.length) throw new Error(JSON.stringify(d.problems));
  return d.snapshot;
}

/** A stub upstream on loopback (UDP and TCP on one port) that answers A 198.18.0.99 for anything. */
async function upstream() {
  const handle = (req: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => unknown) => {
    const res = Packet.createResponseFromRequest(req);
    const q = req.questions[0];
    if (q) res.answers.push({ name: q.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 30, address: '198.18.0.99' } as never);
    void send(res);
  };
  for (let attempt = 0; ; attempt++) {
    const udp = dns2.createServer({ udp: true, handle: handle as never });
    const port = (await udp.listen({ udp: { port: 0, address: '127.0.0.1' } })).udp!.port;
    const tcp = new dns2.TCPServer(handle as never);
    const ok = await new Promise<boolean>((r) => { tcp.once('error', () => r(false)); tcp.listen(port, '127.0.0.1', () => r(true)); });
    if (ok) return { udpPort: port, close: async () => { await udp.close(); await new Promise((r) => tcp.close(r)); } };
    await udp.close();
    if (attempt >= 10) throw new Error('no port free on both UDP and TCP');
  }
}

t.test('DNS and HTTP on loopback', async (t) => {
  const up = await upstream();
  t.teardown(() => up.close());
  const cfg = parseConfig({
    masters: ['127.0.0.1:5050'], Listener: '127.0.0.1', Port: 0, HTTPListener: '127.0.0.1', HttpPort: 0,
    Resolvers: [`127.0.0.1:${up.udpPort}`], IPSources: ['netinfo', 'docker', 'mesos', 'host'], EnforceRFC952: true, RecurseOn: false,
    mesosCredentials: { principal: 'p', secret: 'hunter2' }, Timeout: 2,
  });
  if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);
  const d: DnsDaemon = await startDaemon({ config: cfg.value, logger: silentLogger, version: '0.1.1', masterUrls: [], random, nowSeconds: () => 1_700_000_000 });
  t.teardown(() => d.close());
  const port = d.udpPort!;
  t.equal(d.tcpPort, port, 'TCP on the same port number');

  t.equal(status(await dig(port, ['chronos.marathon.mesos', 'A'])), 'SERVFAIL', 'no zone yet → SERVFAIL, never NXDOMAIN');
  await d.applySnapshot(snapshot());
  const serial1 = d.zone()!.serial;
  t.equal(serial1, 1_700_000_000);

  const a = await dig(port, ['chronos.marathon.mesos', 'A']);
  t.equal(status(a), 'NOERROR');
  t.ok(flags(a).includes('aa'));
  t.same(answers(a), ['A 1.2.3.11']);
  const srv = await dig(port, ['_liquor-store._tcp.marathon.mesos', 'SRV']);
  t.same(answers(srv).sort(), ['SRV 0 1 443 liquor-store-4dfjd-0.marathon.mesos.', 'SRV 0 1 443 liquor-store-zasmd-1.marathon.mesos.', 'SRV 0 1 80 liquor-store-4dfjd-0.marathon.mesos.', 'SRV 0 1 80 liquor-store-zasmd-1.marathon.mesos.']);
  t.match(srv, /ADDITIONAL SECTION:\nliquor-store-/);
  const nx = await dig(port, ['missing.mesos', 'A']);
  t.equal(status(nx), 'NXDOMAIN');
  t.match(nx, /AUTHORITY SECTION:\nmissing\.mesos\.\s+60\s+IN\s+SOA\s+ns1\.mesos\. root\.ns1\.mesos\. 1700000000 60 600 86400 60/);
  t.same(answers(await dig(port, ['leader.mesos', 'A', '+tcp'])), ['A 1.2.3.4'], 'TCP');
  t.same(answers(await dig(port, ['toy-store.ipv6-framework.mesos', 'AAAA'])), ['AAAA fd01:b::1:8000:2']);

  const fwd = await dig(port, ['example.org', 'A']);
  t.equal(status(fwd), 'NOERROR');
  t.same(answers(fwd), ['A 198.18.0.99'], 'forwarded to the upstream');
  t.notOk(flags(fwd).includes('aa'));
  t.same(answers(await dig(port, ['example.org', 'A', '+tcp'])), ['A 198.18.0.99'], 'forwarded over TCP');

  // 60 A records do not fit in 512 bytes: TC over UDP, dig retries over TCP and gets all of them.
  const trunc = await dig(port, ['big.marathon.mesos', 'A', '+ignore', '+noedns']);
  t.ok(flags(trunc).includes('tc'), 'TC set over UDP');
  t.ok(answers(trunc).length > 0 && answers(trunc).length < 60, `truncated answer count ${answers(trunc).length}`);
  t.equal(answers(await dig(port, ['big.marathon.mesos', 'A', '+noedns'])).length, 60, 'TCP retry gets everything');
  const edns = await dig(port, ['big.marathon.mesos', 'A', '+bufsize=4096']);
  t.notOk(flags(edns).includes('tc'));
  t.equal(answers(edns).length, 60, 'EDNS0 4096 fits 60 answers over UDP');

  // Shuffled per query.
  const orders = new Set<string>();
  for (let i = 0; i < 4; i++) orders.add(answers(await dig(port, ['big.marathon.mesos', 'A', '+bufsize=4096'])).join(','));
  t.ok(orders.size > 1, 'answer order changes between queries');

  // dns2 clients: UDP with automatic TCP retry, and TCP.
  const udpClient = dns2.UDPClient({ dns: '127.0.0.1', port, timeout: 3000 });
  const big = await udpClient('big.marathon.mesos', 'A');
  t.equal(big.answers.length, 60, 'dns2 UDP client retried over TCP');
  const tcpClient = dns2.TCPClient({ dns: '127.0.0.1', port });
  const srv2 = await tcpClient('_car-store._udp.marathon.mesos', 'SRV');
  t.same(srv2.answers.map((x: any) => x.port).sort(), [31364, 31365]);

  // A new snapshot without changes keeps the serial; a change bumps it.
  await d.applySnapshot(snapshot());
  t.equal(d.zone()!.serial, serial1, 'unchanged data, same serial');
  const s2 = snapshot();
  await d.applySnapshot({ ...s2, frameworks: s2.frameworks.map((f) => ({ ...f, tasks: f.tasks.filter((x) => x.name !== 'chronos') })) });
  t.ok(d.zone()!.serial > serial1, 'changed data, higher serial');
  t.equal(status(await dig(port, ['chronos.marathon.mesos', 'A'])), 'NXDOMAIN', 'removed task is gone');

  // HTTP API.
  const base = `http://127.0.0.1:${d.httpPort}`;
  const get = async (p: string, headers: Record<string, string> = {}) => { const r = await fetch(base + p, { headers }); return { status: r.status, body: await r.text(), type: r.headers.get('content-type') }; };
  t.same(JSON.parse((await get('/v1/version')).body), { Service: 'Mesos-DNS', Version: '0.1.1', URL: 'https://github.com/mesosphere/mesos-dns' });
  const conf = await get('/v1/config');
  t.equal(conf.status, 200);
  t.notMatch(conf.body, /hunter2/, 'no credentials in /v1/config');
  t.equal(JSON.parse(conf.body).Port, 0);
  const svc = await get('/v1/services/_leader._tcp.mesos.', { Accept: 'application/json' });
  t.equal(svc.status, 200, 'Accept: application/json is fine');
  t.same(JSON.parse(svc.body), [{ service: '_leader._tcp.mesos.', host: 'leader.mesos.', ip: '1.2.3.4', port: '5050' }]);
  t.same(JSON.parse((await get('/v1/hosts/leader.mesos')).body), [{ host: 'leader.mesos.', ip: '1.2.3.4' }]);
  const ports = await get('/v1/hosts/x/ports');
  t.same([ports.status, ports.body], [501, 'To be implemented...']);
  const axfr = JSON.parse((await get('/v1/axfr')).body);
  t.equal(axfr.Serial, d.zone()!.serial);
  t.same(axfr.Records.As['leader.mesos.'], ['1.2.3.4']);
  t.ok(JSON.parse((await get('/v1/enumerate')).body).frameworks.length === 4);
  const metrics = await get('/metrics');
  t.match(metrics.body, /mesonet_dns_queries\{kind="queries"\} \d+/);
  t.match(metrics.body, /mesonet_dns_zone_swaps_total 2/);
});

t.test('REFUSED without resolvers; SERVFAIL when every upstream fails', async (t) => {
  for (const [extra, want] of [[{ ExternalOn: false }, 'REFUSED'], [{ Resolvers: ['127.0.0.1:9'], Timeout: 1 }, 'SERVFAIL']] as const) {
    const cfg = parseConfig({ masters: ['127.0.0.1:5050'], Listener: '127.0.0.1', Port: 0, HttpOn: false, ...extra });
    if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
    const d = await startDaemon({ config: cfg.value, logger: silentLogger, version: 't', masterUrls: [] });
    await d.applySnapshot(snapshot());
    t.equal(status(await dig(d.udpPort!, ['example.org', 'A'])), want, JSON.stringify(extra));
    t.equal(status(await dig(d.udpPort!, ['leader.mesos', 'A'])), 'NOERROR', 'own zone still answered');
    await d.close();
  }
});
