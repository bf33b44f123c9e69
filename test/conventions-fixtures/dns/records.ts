// Clean pure file. Mentions Date.now() and Math.random() only in comments and strings.
import { parseIp } from '../src/kernel/ip.js';
import type { Server } from './io/server.js';
const note = 'uses Date.now() elsewhere, process.env never';
export function records(nowMs: number, s?: Server): string {
  const when = new Date(nowMs);
  return `${note} ${when.toISOString()} ${String(parseIp('1.2.3.4').ok)} ${String(s)}`;
}
