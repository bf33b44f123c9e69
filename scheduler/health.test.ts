import t from 'tap';
import { initialHealth, nextHealth, type HealthState } from './health.js';

const policy = { gracePeriodSeconds: 10, consecutiveFailures: 3 };
function run(outcomes: Array<[boolean, number]>): Array<boolean | undefined> {
  let s: HealthState = initialHealth(0);
  const reports: Array<boolean | undefined> = [];
  for (const [ok, at] of outcomes) {
    const r = nextHealth(s, ok, at, policy);
    s = r.state;
    if (r.changed) reports.push(s.healthy);
  }
  return reports;
}

t.test('health transitions (reports only changes)', async (t) => {
  const cases: Array<[string, Array<[boolean, number]>, Array<boolean | undefined>]> = [
    ['first success reports healthy once', [[true, 1], [true, 2], [true, 3]], [true]],
    ['failures in the grace period are ignored', [[false, 1], [false, 2], [false, 3], [false, 4]], []],
    ['after grace, 3 failures in a row → unhealthy', [[false, 11], [false, 12], [false, 13], [false, 14]], [false]],
    ['after a success, grace no longer protects', [[true, 1], [false, 2], [false, 3], [false, 4]], [true, false]],
    ['a success resets the count', [[true, 1], [false, 2], [false, 3], [true, 4], [false, 5], [false, 6]], [true]],
    ['recovery reports healthy again', [[true, 1], [false, 2], [false, 3], [false, 4], [true, 5]], [true, false, true]],
  ];
  for (const [name, outcomes, want] of cases) t.same(run(outcomes), want, name);
});
