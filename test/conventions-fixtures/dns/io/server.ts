// Clean io file: sockets, clocks and env are its job.
import { createSocket } from 'node:dgram';
import dns2 from 'dns2';
import { atomicWrite } from '../../src/io/atomic-write.js';
export type Server = ReturnType<typeof createSocket>;
export const started = Date.now() + Number(process.env.X ?? 0) + String(dns2).length + String(atomicWrite).length;
