import { notYet } from './cli.js';

export const command = notYet('exec', 'run a command in a lab namespace');
