import { notYet } from './cli.js';

export const command = notYet('edge', 'marathon-lb compatible edge (config, serve)');
