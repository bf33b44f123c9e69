// Coded errors of the edge room. Expected outcomes (an app left out, a config HAProxy rejects) are
// values; these are for the unexpected at the io boundary and for the CLI.
import { CodedError } from '../src/kernel/errors.js';

export type EdgeErrorCode =
  | 'E_EDGE_CONFIG' // flags or environment do not make a valid configuration
  | 'E_EDGE_TEMPLATE' // a global template does not format (or HEAD fails marathon-lb's guard)
  | 'E_EDGE_APPS' // the apps document cannot be read at all
  | 'E_MARATHON' // Marathon unreachable or answering errors
  | 'E_HAPROXY_START' // haproxy would not start
  | 'E_HAPROXY_RELOAD' // haproxy did not come back with a new worker
  | 'E_HAPROXY_CLI'; // a CLI socket did not answer

export class EdgeError extends CodedError {
  constructor(code: EdgeErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'EdgeError';
  }
}
