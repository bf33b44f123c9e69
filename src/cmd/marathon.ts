import { notYet } from './cli.js';

export const command = notYet('marathon', 'run the Marathon-like app scheduler (HTTP 8080)');
