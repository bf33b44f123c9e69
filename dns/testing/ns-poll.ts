// Child process for the namespace test: asks `server` for `name` A every 2 ms (new id each time)
// until a NOERROR answer with records arrives; prints "polling" when started and "seen <epoch ms>"
// at the first answer. Gives up after 5 s (exit 1).
import dgram from 'node:dgram';
import { queryPacket } from './packets.js';

const [server = '127.0.0.1', name = 'x.mesos.'] = process.argv.slice(2);
const sock = dgram.createSocket('udp4');
let id = 0;
sock.on('message', (msg) => {
  if ((msg[3]! & 15) === 0 && msg.readUInt16BE(6) > 0) {
    process.stdout.write(`seen ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
    process.exit(0);
  }
});
const timer = setInterval(() => sock.send(queryPacket(++id & 0xffff, name, 1), 53, server), 2);
setTimeout(() => { clearInterval(timer); process.exit(1); }, 5000);
process.stdout.write('polling\n');
