// RecordIO framing as used by the Mesos v1 operator/scheduler APIs: each record is its length in
// bytes as ASCII decimal, a "\n", then exactly that many bytes ("5\nhello12\n{\"a\":1,\"b\":2}").
// The decoder is incremental: feed it chunks as they arrive and it returns the records completed so
// far. A malformed length is returned as a Problem and poisons the decoder (a byte stream cannot be
// resynchronised after a framing error; the caller reconnects). Bodies are gathered chunk by chunk
// and joined once, so a large snapshot record costs one copy. Pure.
import type { Problem, Result } from './errors.js';
import { ok, err } from './errors.js';

/** Longest accepted length header, in digits (16 digits is far beyond any sane record). */
const MAX_HEADER_DIGITS = 16;
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface FeedResult {
  readonly records: Buffer[];
  /** Set once the stream is malformed; later feeds return no records and the same problem. */
  readonly error: Problem | undefined;
}

export class RecordIoDecoder {
  private header = '';
  private need = -1; // body bytes still expected; -1 while reading a header
  private body: Buffer[] = [];
  private bodyLen = 0;
  private bodyWant = 0;
  private failure: Problem | undefined;
  private readonly maxRecordBytes: number;

  constructor(opts: { maxRecordBytes?: number } = {}) {
    this.maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** True after a framing error. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** True when no partial record is held (a clean place for the stream to end). */
  get idle(): boolean {
    return this.header === '' && this.need === -1;
  }

  feed(chunk: Uint8Array): FeedResult {
    const records: Buffer[] = [];
    if (this.failure) return { records, error: this.failure };
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    while (i < buf.length) {
      if (this.need === -1) {
        const nl = buf.indexOf(0x0a, i);
        const end = nl === -1 ? buf.length : nl;
        this.header += buf.toString('latin1', i, end);
        if (this.header.length > MAX_HEADER_DIGITS) return this.fail(records, `record length header too long: ${JSON.stringify(this.header.slice(0, 24))}…`);
        if (nl === -1) {
          if (!/^\d*$/.test(this.header)) return this.fail(records, `bad record length ${JSON.stringify(this.header)}`);
          break;
        }
        i = nl + 1;
        if (!/^\d+$/.test(this.header)) return this.fail(records, `bad record length ${JSON.stringify(this.header)}`);
        const len = Number(this.header);
        if (len > this.maxRecordBytes) return this.fail(records, `record length ${len} exceeds limit ${this.maxRecordBytes}`);
        this.header = '';
        this.need = len;
        this.bodyWant = len;
        this.body = [];
        this.bodyLen = 0;
      }
      const take = Math.min(this.need, buf.length - i);
      if (take > 0) {
        this.body.push(buf.subarray(i, i + take));
        this.bodyLen += take;
        this.need -= take;
        i += take;
      }
      if (this.need === 0) {
        records.push(this.body.length === 1 ? Buffer.from(this.body[0] as Buffer) : Buffer.concat(this.body, this.bodyLen));
        this.need = -1;
        this.body = [];
        this.bodyLen = 0;
      }
    }
    return { records, error: undefined };
  }

  /** Bytes of the record in progress (header digits or body so far). */
  get pending(): number {
    return this.need === -1 ? this.header.length : this.bodyWant - this.need;
  }

  /** Records completed before the error in this chunk are still delivered. */
  private fail(records: Buffer[], message: string): FeedResult {
    this.failure = { path: 'recordio', message };
    return { records, error: this.failure };
  }
}

/** Frame one record. */
export function encodeRecord(data: string | Uint8Array): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return Buffer.concat([Buffer.from(`${body.length}\n`, 'latin1'), body]);
}

/** Frame several records into one buffer. */
export function encodeRecords(items: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat(items.map(encodeRecord));
}

/** Decode a complete body; a malformed stream or a truncated last record is a Problem. */
export function decodeRecords(data: Uint8Array, opts: { maxRecordBytes?: number } = {}): Result<Buffer[], Problem> {
  const d = new RecordIoDecoder(opts);
  const r = d.feed(data);
  if (r.error) return err(r.error);
  if (!d.idle) return err({ path: 'recordio', message: `truncated record (${d.pending} bytes of a partial record)` });
  return ok(r.records);
}
