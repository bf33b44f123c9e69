import { notYet } from './cli.js';

export const command = notYet('agent', 'run an agent that launches tasks (HTTP 5051)');
