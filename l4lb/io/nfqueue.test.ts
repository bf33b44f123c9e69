import t from 'tap';
import { nativeVersion, EXPECTED_NATIVE_ABI, simulateChoice } from './nfqueue.js';
import { encodeTable, type NativeBackend } from '../native-table.js';
import { ipv4ToInt } from '../../src/kernel/ip.js';

t.test('native addon loads and reports a matching ABI with its libraries linked', async (t) => {
  const v = nativeVersion();
  t.equal(v.abi, EXPECTED_NATIVE_ABI);
  t.match(v.version, /^\d+\.\d+\.\d+$/);
  t.ok(v.napi >= 8, 'N-API version 8 or later');
  t.ok(v.libmnl > 0, 'libmnl answered');
  t.ok(v.libnetfilterQueue > 0, 'libnetfilter_queue header size');
  t.equal(v.libnetfilterConntrack, true, 'libnetfilter_conntrack allocated an object');
});

// The C balancer (native/table.cc Choose) — same semantics as l4lb/balancer.ts.
const VIP = '198.18.128.1';
const be = (i: number, weight = 1): NativeBackend => ({ ip: `198.18.0.${10 + i}`, port: 8080, weight, snat: undefined, local: false });
const run = (backends: NativeBackend[], n: number, keepPending = false) =>
  simulateChoice(encodeTable([{ ip: VIP, port: 80, protocol: 'tcp', backends }]), ipv4ToInt(VIP)!, 80, n, 42, keepPending)!;

t.test('C choice: even spread over equal backends', async (t) => {
  const counts = run([be(1), be(2), be(3)], 30000);
  t.equal(counts.length, 4);
  t.equal(counts[3], 0, 'never "no backend"');
  for (const n of counts.slice(0, 3)) t.ok(Math.abs(n - 10000) < 500, `${n} ≈ 10000`);
});

t.test('C choice: weight 0 drains; all drained means no backend', async (t) => {
  const counts = run([be(1), be(2, 0), be(3)], 3000);
  t.equal(counts[1], 0);
  t.same(run([be(1, 0), be(2, 0)], 10), [0, 0, 10]);
  t.same(run([], 5), [5]);
});

t.test('C choice: least pending (each pick stays pending) balances exactly', async (t) => {
  const counts = run([be(1), be(2), be(3)], 3000, true);
  for (const n of counts.slice(0, 3)) t.ok(Math.abs(n - 1000) <= 2, `${n} ≈ 1000`);
});

t.test('C choice: weights bias the draws', async (t) => {
  const counts = run([be(1, 3), be(2, 1)], 20000);
  t.ok(counts[0]! > counts[1]! * 2, `${counts[0]} vs ${counts[1]}`);
});

t.test('C table parser rejects malformed tables, unknown VIP is null', async (t) => {
  const good = encodeTable([{ ip: VIP, port: 80, protocol: 'tcp', backends: [be(1)] }]);
  t.throws(() => simulateChoice(good.subarray(0, good.length - 1), ipv4ToInt(VIP)!, 80, 1, 1), /truncated|trailing/);
  t.throws(() => simulateChoice(Uint32Array.from([0, 0]), 1, 80, 1, 1), /magic/);
  t.equal(simulateChoice(good, ipv4ToInt(VIP)!, 81, 1, 1), null);
});
