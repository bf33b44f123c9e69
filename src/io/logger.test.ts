import t from 'tap';
import { createLogger, parseLogLevel, formatLine } from './logger.js';
import { CodedError } from '../kernel/errors.js';

const clock = () => new Date('2024-01-02T03:04:05.678Z');

t.test('key=value lines, levels filtered', async (t) => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', sink: (l) => lines.push(l), clock });
  log.debug('hidden');
  log.info('zone swapped', { records: 12, domain: 'mesos' });
  log.warn('odd value', { text: 'a b "c"', empty: '', obj: { x: 1 }, skip: undefined });
  log.error('failed', { err: new CodedError('E_X', 'boom') });
  t.same(lines, [
    'ts=2024-01-02T03:04:05.678Z level=info msg="zone swapped" records=12 domain=mesos',
    'ts=2024-01-02T03:04:05.678Z level=warn msg="odd value" text="a b \\"c\\"" empty="" obj="{\\"x\\":1}"',
    'ts=2024-01-02T03:04:05.678Z level=error msg=failed err="E_X: boom"',
  ]);
  t.ok(log.enabled('warn'));
  t.notOk(log.enabled('debug'));
});

t.test('json lines and child fields', async (t) => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', sink: (l) => lines.push(l), clock, fields: { room: 'dns' } });
  const child = log.child({ master: 'm1' });
  child.debug('hi', { n: 1n, e: new Error('plain') });
  t.same(lines.map((l) => JSON.parse(l)), [{ ts: '2024-01-02T03:04:05.678Z', level: 'debug', msg: 'hi', room: 'dns', master: 'm1', n: '1', e: 'plain' }]);
  t.equal(lines[0]!.includes('\n'), false);
});

t.test('one line per event even with newlines in the message', async (t) => {
  const line = formatLine('kv', clock(), 'info', 'two\nlines', { k: 'a\nb' });
  t.equal(line.split('\n').length, 1);
  t.match(line, /msg="two\\nlines" k="a\\nb"/);
});

t.test('a throwing sink does not throw', async (t) => {
  const log = createLogger({ sink: () => { throw new Error('disk full'); } });
  t.doesNotThrow(() => log.error('x'));
});

t.test('parseLogLevel', async (t) => {
  t.equal(parseLogLevel('INFO'), 'info');
  t.equal(parseLogLevel('warning'), 'warn');
  t.equal(parseLogLevel('loud'), undefined);
});
