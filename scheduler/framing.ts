// Wire framing of the two streams the room serves. Pure.
//  - RecordIO (Mesos v1 APIs): each record is `<length in bytes>\n<JSON>` (kernel/recordio.ts).
//  - Server-sent events (Marathon /v2/events): `event: <type>\r\ndata: <json>\r\n\r\n`, heartbeat `\r\n`.

import { encodeRecord } from '../src/kernel/recordio.js';

export function recordIoFrame(record: unknown): Buffer {
  return encodeRecord(JSON.stringify(record));
}

export const SSE_HEARTBEAT = '\r\n';

export function sseFrame(eventType: string, data: unknown): string {
  // JSON.stringify output is one line, so one `data:` line suffices.
  return `event: ${eventType}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;
}

/** `event_type` query filters (repeatable); an empty set means every event. */
export function eventTypeFilter(query: unknown): Set<string> {
  const v = (query as Record<string, unknown> | undefined)?.['event_type'];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return new Set(list.filter((x): x is string => typeof x === 'string' && x !== ''));
}
