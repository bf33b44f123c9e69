// Connection driver for namespace tests and the bench: opens N TCP connections to HOST:PORT with
// C in flight, reads what the server sends until it closes, and prints one JSON line:
// { ok, done, counts: { <first line>: n }, errors: { <code>: n }, connectUs: { p50, p99, max }, seconds, rate }.
// `node conn-client.js HOST[,HOST…] PORT N C [TIMEOUT_MS [LOCAL_ADDRESS]]` (several hosts: round-robin). Runs inside the client namespace.
import { connect } from 'node:net';

const [host, portText, nText, cText, timeoutText, localAddress] = process.argv.slice(2);
const port = Number(portText);
const hosts = (host ?? '').split(','); // several: round-robin
const total = Number(nText ?? 1);
const conc = Number(cText ?? 1);
const timeoutMs = Number(timeoutText ?? 5000);
const counts: Record<string, number> = {};
const errors: Record<string, number> = {};
const connectUs: number[] = [];
let started = 0;
let done = 0;
let ok = 0;
const t0 = process.hrtime.bigint();

function one(k: number): Promise<void> {
  return new Promise((resolve) => {
    const begin = process.hrtime.bigint();
    const sock = connect({ host: hosts[k % hosts.length]!, port, ...(localAddress ? { localAddress } : {}) });
    let data = '';
    const timer = setTimeout(() => sock.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => connectUs.push(Number(process.hrtime.bigint() - begin) / 1000));
    sock.on('data', (d) => (data += d));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      errors[e.code ?? e.message] = (errors[e.code ?? e.message] ?? 0) + 1;
    });
    sock.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) {
        const name = data.split('\n')[0] ?? '';
        counts[name] = (counts[name] ?? 0) + 1;
        ok++;
      }
      done++;
      resolve();
    });
  });
}

async function worker(): Promise<void> {
  while (started < total) {
    await one(started++);
  }
}

await Promise.all(Array.from({ length: Math.min(conc, total) }, worker));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
connectUs.sort((a, b) => a - b);
const pct = (p: number) => Math.round(connectUs[Math.min(connectUs.length - 1, Math.floor(p * connectUs.length))] ?? 0);
process.stdout.write(JSON.stringify({ ok, done, counts, errors, connectUs: { p50: pct(0.5), p99: pct(0.99), max: Math.round(connectUs[connectUs.length - 1] ?? 0) }, seconds, rate: Math.round(done / seconds) }) + '\n');
