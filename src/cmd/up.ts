import { notYet } from './cli.js';

export const command = notYet('up', 'build the namespace lab and start the whole plane');
