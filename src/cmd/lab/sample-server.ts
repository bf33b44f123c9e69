// The lab's sample app: a tiny HTTP server that answers with the task that served the request.
// Run by the agent as a task (`node dist/src/cmd/lab/sample-server.js`); listens on $PORT0 (or 80).
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const port = Number(process.env.PORT0 ?? process.env.PORT ?? 80);
const id = process.env.MESOS_TASK_ID ?? hostname();
createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`${id}\n`);
}).listen(port, () => process.stdout.write(`sample-server ${id} listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
