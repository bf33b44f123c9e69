// An SSE reader for tests: connects to Marathon's /v2/events and parses CRLF frames.
export class SseClient {
  readonly events: Array<{ type: string; data: any; at: number }> = [];
  raw = '';
  contentType = '';
  private readonly abort = new AbortController();

  static async open(url: string): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: c.abort.signal });
    if (!res.ok || !res.body) throw new Error(`SSE ${url}: ${res.status}`);
    c.contentType = res.headers.get('content-type') ?? '';
    void c.read(res.body as unknown as AsyncIterable<Uint8Array>);
    return c;
  }

  private async read(body: AsyncIterable<Uint8Array>): Promise<void> {
    let buf = '';
    const dec = new TextDecoder();
    try {
      for await (const chunk of body) {
        const text = dec.decode(chunk, { stream: true });
        this.raw += text;
        buf += text;
        let i: number;
        while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 4);
          const type = /^event: (.*)$/m.exec(frame)?.[1]?.trim();
          const data = frame.split('\r\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (type) this.events.push({ type, data: JSON.parse(data), at: Date.now() });
        }
        // A bare CRLF heartbeat between frames.
        while (buf.startsWith('\r\n')) buf = buf.slice(2);
      }
    } catch { /* closed */ }
  }

  types(): string[] { return this.events.map((e) => e.type); }
  close(): void { this.abort.abort(); }
}
