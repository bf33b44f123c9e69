// A long-lived connection for namespace tests: connects to HOST:PORT (a `hold` name-server behind a
// VIP), prints `connected <name>`, then for each stdin line sends it and prints `echo <line>` when
// it comes back. Prints `closed` when the connection ends. `node hold-client.js HOST PORT`.
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

const [host, port] = process.argv.slice(2);
const sock = connect({ host: host!, port: Number(port) });
let buf = '';
let named = false;
sock.setEncoding('utf8');
sock.on('data', (d: string) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    process.stdout.write(named ? `echo ${line}\n` : `connected ${line}\n`);
    named = true;
  }
});
sock.on('error', (e: NodeJS.ErrnoException) => process.stdout.write(`error ${e.code ?? e.message}\n`));
sock.on('close', () => {
  process.stdout.write('closed\n');
  process.exit(0);
});
createInterface({ input: process.stdin }).on('line', (l) => sock.write(`${l}\n`)).on('close', () => sock.end());
