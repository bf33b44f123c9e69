// Runs INSIDE a test namespace (`ip netns exec NS node dist/edge/testing/ns-fixture.js`): a fake
// Marathon on 127.0.0.1:8080, tiny HTTP backends on 127.0.0.1:31001.., and a request loop, driven
// by the test over stdin/stdout, one JSON object per line:
//   {"op":"apps","apps":[…]}            replace Marathon's apps (an SSE event follows)
//   {"op":"get","port":80,"host":"h"}   one request → {"status","body"}
//   {"op":"load","port":80,"host":"h","workers":4}  add request workers (fresh connection each)
//   {"op":"progress"}                    → {"ok","failed"} so far
//   {"op":"stop"}                        stop it → {"ok","failed","errors"}
//   {"op":"info"}                        → {"marathonRequests","streams"}
// Every answer is {"id":…, …}. Test support only.
import { createServer, request, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { FakeMarathon } from './fake-marathon.js';

const BACKENDS = Number(process.argv[2] ?? 3);
const marathon = new FakeMarathon();
const servers: Server[] = [];

function get(port: number, host: string | undefined, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000,
      headers: { Connection: 'close', ...(host ? { Host: host } : {}) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

let load: { stop: boolean; ok: number; failed: number; errors: string[]; done: Promise<void>[] } | undefined;

async function worker(port: number, host: string | undefined, l: NonNullable<typeof load>): Promise<void> {
  while (!l.stop) {
    try {
      const r = await get(port, host);
      if (r.status === 200 && r.body.startsWith('backend-')) l.ok++;
      else { l.failed++; if (l.errors.length < 20) l.errors.push(`HTTP ${r.status} ${r.body.slice(0, 80)}`); }
    } catch (e) {
      l.failed++;
      if (l.errors.length < 20) l.errors.push((e as Error).message);
    }
  }
}

async function handle(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (msg.op) {
    case 'apps': marathon.setApps(msg.apps as unknown[]); return {};
    case 'get': {
      try { return await get(Number(msg.port), msg.host as string | undefined, (msg.path as string | undefined) ?? '/'); }
      catch (e) { return { status: 0, body: '', error: (e as Error).message }; }
    }
    case 'load': {
      const l = load ?? { stop: false, ok: 0, failed: 0, errors: [] as string[], done: [] as Promise<void>[] };
      for (let i = 0; i < Number(msg.workers ?? 4); i++) l.done.push(worker(Number(msg.port), msg.host as string | undefined, l));
      load = l;
      return {};
    }
    case 'progress': return { ok: load?.ok ?? 0, failed: load?.failed ?? 0 };
    case 'stop': {
      if (!load) return { ok: 0, failed: 0, errors: [] };
      load.stop = true;
      await Promise.all(load.done);
      const { ok, failed, errors } = load;
      load = undefined;
      return { ok, failed, errors };
    }
    case 'info': return { marathonRequests: marathon.requests, streams: marathon.streamCount };
    default: return { error: `unknown op ${String(msg.op)}` };
  }
}

async function main(): Promise<void> {
  for (let i = 1; i <= BACKENDS; i++) {
    const s = createServer((_req, res) => { res.setHeader('Connection', 'close'); res.end(`backend-${i}\n`); });
    await new Promise<void>((r) => s.listen(31000 + i, '127.0.0.1', r));
    servers.push(s);
  }
  await marathon.listen('127.0.0.1', 8080);
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    void handle(msg).then((r) => process.stdout.write(`${JSON.stringify({ id: msg.id, ...r })}\n`));
  });
  rl.on('close', () => {
    for (const s of servers) s.close();
    void marathon.close().then(() => process.exit(0));
  });
}

void main();
