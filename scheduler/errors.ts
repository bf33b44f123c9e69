// Coded errors of the scheduler room. Every code is listed in README.md (Errors); each HTTP boundary
// maps a CodedError once to `{code, message}` with the status below. Expected outcomes (no offer fits,
// unknown task on kill) are values, not exceptions.
import { CodedError } from '../src/kernel/errors.js';

export const SCHED_ERRORS = Object.freeze({
  SCHED_ERR_CONFIG: { status: 2, summary: 'invalid flags or configuration' },
  SCHED_ERR_BAD_REQUEST: { status: 400, summary: 'malformed request body or field' },
  SCHED_ERR_NOT_FOUND: { status: 404, summary: 'unknown agent, framework, task, app or route' },
  SCHED_ERR_CONFLICT: { status: 409, summary: 'already exists, or not enough unreserved resources' },
  SCHED_ERR_INVALID_APP: { status: 422, summary: 'app definition does not validate' },
  SCHED_ERR_NOT_LEADER: { status: 307, summary: 'this master is not the leader' },
  SCHED_ERR_MASTER_UNREACHABLE: { status: 503, summary: 'the master did not answer' },
  SCHED_ERR_LAUNCH: { status: 500, summary: 'the agent could not start a task (sandbox, netns, CNI, spawn)' },
  SCHED_ERR_CNI: { status: 500, summary: 'a CNI plugin failed or returned an error result' },
  SCHED_ERR_STORE: { status: 500, summary: 'the state store could not read or write' },
});

export type SchedErrorCode = keyof typeof SCHED_ERRORS;

export function schedError(code: SchedErrorCode, message: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, message, details);
}

/** HTTP status for a coded error (500 for codes from elsewhere). */
export function httpStatusOf(code: string): number {
  const e = (SCHED_ERRORS as Record<string, { status: number }>)[code];
  return e && e.status >= 300 ? e.status : 500;
}
