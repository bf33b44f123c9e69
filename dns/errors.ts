// Coded errors of the dns room. Expected DNS outcomes (NXDOMAIN, NODATA, REFUSED, SERVFAIL after
// upstream failures) are replies, not errors; these codes are for the CLI and daemon boundaries.
import { CodedError } from '../src/kernel/errors.js';
import type { Problem } from '../src/kernel/errors.js';
import { formatProblems } from '../src/kernel/errors.js';

export const DNS_ERRORS = Object.freeze({
  /** config.json unreadable, not JSON, or invalid (details.problems lists every problem). */
  CONFIG: 'E_DNS_CONFIG',
  /** A state file for `dns records` unreadable or not JSON. */
  STATE: 'E_DNS_STATE',
  /** A listener could not bind (address in use, permission). */
  LISTEN: 'E_DNS_LISTEN',
});

export function configError(problems: readonly Problem[], file?: string): CodedError {
  return new CodedError(DNS_ERRORS.CONFIG, `invalid DNS configuration${file ? ` in ${file}` : ''}:\n${formatProblems(problems)}`, { problems });
}
