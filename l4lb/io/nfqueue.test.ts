import t from 'tap';
import { nativeVersion, EXPECTED_NATIVE_ABI } from './nfqueue.js';

t.test('native addon loads and reports a matching ABI with its libraries linked', async (t) => {
  const v = nativeVersion();
  t.equal(v.abi, EXPECTED_NATIVE_ABI);
  t.match(v.version, /^\d+\.\d+\.\d+$/);
  t.ok(v.napi >= 8, 'N-API version 8 or later');
  t.ok(v.libmnl > 0, 'libmnl answered');
  t.ok(v.libnetfilterQueue > 0, 'libnetfilter_queue header size');
  t.equal(v.libnetfilterConntrack, true, 'libnetfilter_conntrack allocated an object');
});
