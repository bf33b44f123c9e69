// Mesos-style health-check bookkeeping: a pure state machine fed with check outcomes and times.
// Failures inside the grace period (before the first success) are ignored; after the first success
// or once the grace period is over, `consecutive_failures` failures in a row make the task unhealthy.
// It reports only changes: the first success (healthy) and the failure that crosses the limit.

export interface HealthPolicy {
  readonly gracePeriodSeconds: number;
  readonly consecutiveFailures: number;
}

export interface HealthState {
  readonly startedAt: number;
  readonly healthy: boolean | undefined;
  readonly failures: number;
  readonly everHealthy: boolean;
}

export const initialHealth = (startedAt: number): HealthState => ({ startedAt, healthy: undefined, failures: 0, everHealthy: false });

/** Next state after one check at time `now` (seconds); `changed` says whether to report. */
export function nextHealth(s: HealthState, ok: boolean, now: number, p: HealthPolicy): { state: HealthState; changed: boolean } {
  if (ok) {
    const state = { ...s, healthy: true, failures: 0, everHealthy: true };
    return { state, changed: s.healthy !== true };
  }
  const inGrace = !s.everHealthy && now - s.startedAt < p.gracePeriodSeconds;
  if (inGrace) return { state: s, changed: false };
  const failures = s.failures + 1;
  const unhealthy = failures >= Math.max(1, p.consecutiveFailures);
  const state = { ...s, failures, healthy: unhealthy ? false : s.healthy };
  return { state, changed: unhealthy && s.healthy !== false };
}
