// A tiny TCP server for namespace tests and the bench: every connection gets `<name>\n` and is closed
// by the server. Run inside a backend namespace: `node name-server.js PORT NAME [HOST]`; prints
// `listening <port>` when ready.
import { createServer } from 'node:net';

const [portText, name, host] = process.argv.slice(2);
const server = createServer((sock) => {
  sock.on('error', () => undefined);
  sock.end(`${name ?? 'server'}\n`);
});
server.listen(Number(portText ?? 0), host ?? '0.0.0.0', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : portText}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
