import { notYet } from './cli.js';

export const command = notYet('dns', 'Mesos-DNS compatible server and record tools (records, serve)');
