import t from 'tap';
import { RecordIoDecoder, encodeRecord, encodeRecords, decodeRecords } from './recordio.js';

const texts = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString('utf8'));

t.test('encode', async (t) => {
  t.equal(encodeRecord('hello').toString(), '5\nhello');
  t.equal(encodeRecord('').toString(), '0\n');
  t.equal(encodeRecord('é').toString('latin1'), '2\n\xc3\xa9', 'length counts bytes, not characters');
  t.equal(encodeRecords(['a', '{"b":2}']).toString(), '1\na7\n{"b":2}');
});

t.test('decode whole streams', async (t) => {
  const cases: [string, string[]][] = [
    ['', []],
    ['5\nhello', ['hello']],
    ['0\n0\n', ['', '']],
    ['1\na12\n{"type":"x"}', ['a', '{"type":"x"}']],
    ['3\n\n\n\n', ['\n\n\n']],
  ];
  for (const [input, want] of cases) {
    const r = decodeRecords(Buffer.from(input));
    t.same(r.ok && texts(r.value), want, JSON.stringify(input));
  }
});

t.test('every split point yields the same records', async (t) => {
  const records = ['{"type":"SUBSCRIBED"}', '', 'x'.repeat(300), '{"type":"HEARTBEAT"}', 'ünïcødé'];
  const wire = encodeRecords(records);
  for (let cut = 0; cut <= wire.length; cut++) {
    const d = new RecordIoDecoder();
    const a = d.feed(wire.subarray(0, cut));
    const b = d.feed(wire.subarray(cut));
    t.same(texts([...a.records, ...b.records]), records, `cut at ${cut}`);
    t.ok(d.idle);
  }
  const d = new RecordIoDecoder();
  const got: Buffer[] = [];
  for (const byte of wire) got.push(...d.feed(Uint8Array.of(byte)).records);
  t.same(texts(got), records, 'byte by byte');
});

t.test('records do not alias the fed chunk', async (t) => {
  const chunk = Buffer.from('3\nabc');
  const [rec] = new RecordIoDecoder().feed(chunk).records;
  chunk.fill(0x7a);
  t.equal(rec?.toString(), 'abc');
});

t.test('malformed framing is a value and poisons the decoder', async (t) => {
  const cases: [string, RegExp][] = [
    ['x\nabc', /bad record length "x"/],
    ['-1\n', /bad record length "-1"/],
    ['\nabc', /bad record length ""/],
    ['1 \na', /bad record length "1 "/],
    ['12a', /bad record length "12a"/],
    ['12345678901234567\n', /too long/],
    ['2\nab3x\nabc', /bad record length "3x"/],
  ];
  for (const [input, re] of cases) {
    const d = new RecordIoDecoder();
    const r = d.feed(Buffer.from(input));
    t.match(r.error, { path: 'recordio', message: re }, JSON.stringify(input));
    t.ok(d.failed);
    t.same(d.feed(Buffer.from('1\na')).records, [], 'no records after failure');
    t.equal(d.feed(Buffer.from('1\na')).error, r.error);
  }
  const d = new RecordIoDecoder();
  const r = d.feed(Buffer.from('2\nabzz\n'));
  t.same(texts(r.records), ['ab'], 'records completed before the error in the same chunk are delivered');
  t.match(r.error, { message: /bad record length "zz"/ });
});

t.test('size limit and truncation', async (t) => {
  const d = new RecordIoDecoder({ maxRecordBytes: 10 });
  t.match(d.feed(Buffer.from('11\n')).error, { message: /exceeds limit 10/ });
  t.same(decodeRecords(Buffer.from('10\n0123456789'), { maxRecordBytes: 10 }).ok, true);
  t.match(decodeRecords(Buffer.from('5\nabc')), { ok: false, error: { message: /truncated record \(3 bytes/ } });
  t.match(decodeRecords(Buffer.from('12')), { ok: false, error: { message: /truncated/ } });
  const p = new RecordIoDecoder();
  p.feed(Buffer.from('5\nab'));
  t.equal(p.pending, 2);
  t.notOk(p.idle);
});
