import t from 'tap';
import { isTripped, NEW_HEALTH, recordFailure, recordSuccess } from './health.js';

const cfg = { failureThreshold: 5, backoffMs: 30_000 };

t.test('5 consecutive failures trip for 30 s after the last failure', async (t) => {
  let h = NEW_HEALTH;
  for (let i = 0; i < 4; i++) h = recordFailure(h, 1000 + i);
  t.notOk(isTripped(h, 1004, cfg), '4 failures: still in');
  h = recordFailure(h, 2000);
  t.ok(isTripped(h, 2000, cfg));
  t.ok(isTripped(h, 31_999, cfg));
  t.notOk(isTripped(h, 32_000, cfg), 'back after the backoff');
  h = recordFailure(h, 40_000);
  t.ok(isTripped(h, 40_001, cfg), 'one more failure trips again at once');
  t.equal(h.failures, 6);
});

t.test('a success resets the streak', async (t) => {
  let h = NEW_HEALTH;
  for (let i = 0; i < 4; i++) h = recordFailure(h, i);
  h = recordSuccess(h);
  h = recordFailure(h, 10);
  t.notOk(isTripped(h, 10, cfg));
  t.same([h.successes, h.failures, h.consecutiveFailures], [1, 5, 1]);
});
