import { notYet } from './cli.js';

export const command = notYet('master', 'run a Mesos-compatible master (HTTP 5050) with the DRF allocator');
