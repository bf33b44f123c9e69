import t from 'tap';
import { RecordIoDecoder } from '../src/kernel/recordio.js';
import { eventTypeFilter, recordIoFrame, sseFrame, SSE_HEARTBEAT } from './framing.js';

t.test('RecordIO frames decode back with the kernel decoder, byte lengths for UTF-8', async (t) => {
  const events = [{ type: 'HEARTBEAT' }, { type: 'X', s: 'é✓' }];
  const buf = Buffer.concat(events.map(recordIoFrame));
  t.equal(recordIoFrame({ s: 'é' }).toString('latin1').split('\n')[0], String(Buffer.byteLength(JSON.stringify({ s: 'é' }))));
  const d = new RecordIoDecoder();
  const got = [...d.feed(buf.subarray(0, 7)).records, ...d.feed(buf.subarray(7)).records].map((r) => JSON.parse(r.toString('utf8')));
  t.same(got, events);
});

t.test('SSE frames use CRLF and one data line', async (t) => {
  t.equal(sseFrame('status_update_event', { a: 1 }), 'event: status_update_event\r\ndata: {"a":1}\r\n\r\n');
  t.equal(SSE_HEARTBEAT, '\r\n');
});

t.test('event_type filters', async (t) => {
  const cases: Array<[unknown, string[]]> = [
    [{}, []], [{ event_type: 'a' }, ['a']], [{ event_type: ['a', 'b', ''] }, ['a', 'b']], [undefined, []], [{ event_type: 3 }, []],
  ];
  for (const [q, want] of cases) t.same([...eventTypeFilter(q)], want, JSON.stringify(q));
});
