// kernel-imports-outside
import { command } from '../cmd/dns.js';
export const c = command;
