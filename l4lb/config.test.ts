import t from 'tap';
import { DEFAULTS, parseConfig } from './config.js';

t.test('defaults are Minuteman\'s and frozen', async (t) => {
  t.same([DEFAULTS.queueFirst, DEFAULTS.queueLast, DEFAULTS.ipset, DEFAULTS.apiPort, DEFAULTS.namedRange, DEFAULTS.failureThreshold, DEFAULTS.backoffMs, DEFAULTS.connectThresholdMs], [50, 58, 'minuteman', 61421, '11.0.0.0/8', 5, 30000, 400]);
  t.ok(Object.isFrozen(DEFAULTS));
  const r = parseConfig({});
  t.ok(r.ok);
  if (r.ok) t.same(r.value, DEFAULTS);
});

t.test('flags as strings are coerced', async (t) => {
  const r = parseConfig({ queueFirst: '7', queueLast: '7', apiPort: '0', passiveHealth: 'false' }, { coerceStrings: true });
  t.ok(r.ok);
  if (r.ok) t.same([r.value.queueFirst, r.value.queueLast, r.value.apiPort, r.value.passiveHealth], [7, 7, 0, false]);
});

t.test('every problem is reported at once', async (t) => {
  const r = parseConfig({ queueFirst: 10, queueLast: 9, ipset: 'bad name!', chain: '', namedRange: 'fd00::/64', apiPort: 70000, bogus: 1 });
  t.notOk(r.ok);
  if (r.ok) return;
  const paths = r.error.map((p) => p.path).sort();
  t.same(paths, ['apiPort', 'bogus', 'chain', 'ipset', 'namedRange', 'queueLast']);
});
