// Passive health (Minuteman's circuit breaker), the semantics native/health.h implements: a
// connection attempt succeeds when the backend answers the SYN within the connect threshold, and
// fails when it resets or stays silent. `failureThreshold` consecutive failures trip the backend;
// it stays out for `backoffMs` after the last failure, then is tried again (one more failure trips
// it again at once, since the count is kept until a success). Pure: time is an argument.

export interface HealthConfig {
  readonly failureThreshold: number;
  readonly backoffMs: number;
}

export interface BackendHealth {
  readonly consecutiveFailures: number;
  readonly lastFailureAt: number | undefined;
  readonly successes: number;
  readonly failures: number;
}

export const NEW_HEALTH: BackendHealth = Object.freeze({ consecutiveFailures: 0, lastFailureAt: undefined, successes: 0, failures: 0 });

export function recordSuccess(h: BackendHealth): BackendHealth {
  return { ...h, consecutiveFailures: 0, successes: h.successes + 1 };
}

export function recordFailure(h: BackendHealth, now: number): BackendHealth {
  return { ...h, consecutiveFailures: h.consecutiveFailures + 1, lastFailureAt: now, failures: h.failures + 1 };
}

/** Whether the breaker is open (backend skipped) at `now`. */
export function isTripped(h: BackendHealth, now: number, cfg: HealthConfig): boolean {
  return h.consecutiveFailures >= cfg.failureThreshold && h.lastFailureAt !== undefined && now - h.lastFailureAt < cfg.backoffMs;
}
