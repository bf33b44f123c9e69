import t from 'tap';
import { decodeTable, encodeTable, FLAG_LOCAL, TABLE_MAGIC } from './native-table.js';

t.test('encode/decode round trip; non-IPv4 entries left out', async (t) => {
  const a = encodeTable([
    { ip: '198.18.128.1', port: 80, protocol: 'tcp', backends: [{ ip: '198.18.0.11', port: 8080, weight: 1, snat: '198.18.0.10', local: false }, { ip: 'fd00::1', port: 1, weight: 1, snat: undefined, local: false }, { ip: '198.18.0.10', port: 9, weight: 0, snat: undefined, local: true }] },
    { ip: 'fd00::2', port: 80, protocol: 'tcp', backends: [] },
    { ip: '198.18.128.2', port: 53, protocol: 'udp', backends: [] },
  ]);
  t.equal(a[0], TABLE_MAGIC);
  t.equal(a[1], 2);
  t.equal(a.length, 2 + 4 + 2 * 5 + 4);
  t.same(decodeTable(a), [
    { ip: 0xc6128001, port: 80, proto: 6, backends: [[0xc612000b, 8080, 1, 0xc612000a, 0], [0xc612000a, 9, 0, 0, FLAG_LOCAL]] },
    { ip: 0xc6128002, port: 53, proto: 17, backends: [] },
  ]);
  t.equal(decodeTable(Uint32Array.from([1, 0])), undefined);
});
