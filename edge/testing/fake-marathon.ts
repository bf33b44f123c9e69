// A fake Marathon for edge tests: GET /v2/apps (with ?embed=apps.tasks ignored) answers the apps it
// holds; GET /v2/events is an SSE stream (CRLF framing, like Marathon) that gets a
// status_update_event whenever the apps are replaced, plus `event_stream_attached` on connect.
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';

export class FakeMarathon {
  apps: unknown[] = [];
  private readonly streams = new Set<ServerResponse>();
  readonly app: FastifyInstance = Fastify({ logger: false });
  requests = 0;

  constructor() {
    this.app.get('/v2/apps', async () => {
      this.requests++;
      return { apps: this.apps };
    });
    this.app.get('/v2/events', (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8', Connection: 'close' });
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      this.send(res, 'event_stream_attached', { remoteAddress: req.ip });
    });
  }

  private send(res: ServerResponse, type: string, body: Record<string, unknown>): void {
    res.write(`event: ${type}\r\ndata: ${JSON.stringify({ ...body, eventType: type, timestamp: new Date().toISOString() })}\r\n\r\n`);
  }

  /** Replace the apps and tell every event stream. */
  setApps(apps: unknown[], event = 'status_update_event'): void {
    this.apps = apps;
    for (const s of this.streams) this.send(s, event, { taskStatus: 'TASK_RUNNING', appId: '/changed' });
  }

  get streamCount(): number {
    return this.streams.size;
  }

  async listen(host: string, port: number): Promise<number> {
    await this.app.listen({ host, port });
    const a = this.app.server.address();
    return typeof a === 'object' && a ? a.port : port;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.destroy();
    await this.app.close();
  }
}
