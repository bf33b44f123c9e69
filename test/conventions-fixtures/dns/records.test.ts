// Clean: tests may read fixtures and clocks.
import { readFileSync } from 'node:fs';
import { records } from './records.js';
export const x = records(Date.now()) + readFileSync('/dev/null', 'utf8');
