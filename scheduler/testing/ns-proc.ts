// Helpers for namespace tests of the scheduler room: run `mesonet` daemons inside lab namespaces as
// child processes (stopped by pid), and reach their HTTP APIs from the test process through a
// unix-socket forwarder running inside the namespace (a unix socket is a file, so it crosses
// network namespaces; nothing is added to the root namespace's network).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';

export interface NsProc { readonly child: ChildProcess; readonly log: () => string; stop(): Promise<void> }

export function runInNs(ns: string, args: string[]): NsProc {
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => { out = (out + String(d)).slice(-20000); });
  child.stderr?.on('data', (d) => { out = (out + String(d)).slice(-20000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child, log: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(t);
    },
  };
}

const FORWARDER = `const net=require('net');const fs=require('fs');const [sock,host,port]=process.argv.slice(1);
try{fs.unlinkSync(sock)}catch{}
net.createServer((c)=>{const u=net.connect(Number(port),host);c.pipe(u);u.pipe(c);u.on('error',()=>c.destroy());c.on('error',()=>u.destroy());}).listen(sock,()=>console.log('ready'));`;

/** Start a forwarder in `ns`: connections to the returned socket path reach host:port there. */
export async function forwarder(ns: string, dir: string, name: string, host: string, port: number): Promise<{ sock: string; proc: NsProc }> {
  const sock = join(dir, `${name}.sock`);
  const proc = runInNs(ns, [process.execPath, '-e', FORWARDER, sock, host, String(port)]);
  const end = Date.now() + 10000;
  while (!proc.log().includes('ready')) {
    if (Date.now() > end) throw new Error(`forwarder ${name} did not start: ${proc.log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { sock, proc };
}

export function unixJson(sock: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request({ socketPath: sock, method, path, headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers }, timeout: 10000 }, (res) => {
      let text = '';
      res.on('data', (c) => { text += String(c); });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { /* text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(data);
  });
}

/** A long-lived request; `onData` gets every chunk. Returns a closer. */
export function unixStream(sock: string, method: string, path: string, body: unknown, headers: Record<string, string>, onData: (chunk: Buffer) => void): () => void {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const req = request({ socketPath: sock, method, path, headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
    res.on('data', onData);
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end(data);
  return () => req.destroy();
}
