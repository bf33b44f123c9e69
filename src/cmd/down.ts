import { notYet } from './cli.js';

export const command = notYet('down', "remove everything 'up' created");
