// l4lb's coded errors. Expected outcomes (no backend, a bad label) are values; these are for the
// unexpected, mapped once at each boundary (CLI exit code, HTTP {code,message}).
import { CodedError } from '../src/kernel/errors.js';

export const L4LB_ERRORS = Object.freeze({
  CONFIG: 'L4LB_CONFIG',
  /** iptables-restore / ipset restore failed; the kernel keeps its previous rules. */
  APPLY: 'L4LB_APPLY',
  /** The native addon is missing, has the wrong ABI, or could not bind the queues. */
  NATIVE: 'L4LB_NATIVE',
  /** A state file or snapshot source could not be read or decoded. */
  SOURCE: 'L4LB_SOURCE',
  NOT_FOUND: 'L4LB_NOT_FOUND',
} as const);

export type L4lbErrorCode = (typeof L4LB_ERRORS)[keyof typeof L4LB_ERRORS];

export function l4lbError(code: L4lbErrorCode, message: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, message, details);
}
