// A tiny TCP server for namespace tests and the bench. Every connection gets `<name>\n`; then
//  - default mode: the server closes at once (server-first close: no TIME_WAIT on the client);
//  - `hold` mode: it echoes whatever the client sends and closes when the client does (long flows).
// `node name-server.js PORT NAME [hold]`; prints `listening <port>` when ready.
import { createServer } from 'node:net';

const [portText, name, mode] = process.argv.slice(2);
const server = createServer((sock) => {
  sock.on('error', () => undefined);
  if (mode === 'hold') {
    sock.write(`${name ?? 'server'}\n`);
    sock.pipe(sock);
  } else sock.end(`${name ?? 'server'}\n`);
});
server.listen(Number(portText ?? 0), '0.0.0.0', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : portText}\n`);
});
process.on('SIGTERM', () => process.exit(0));
