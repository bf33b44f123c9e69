// pure-imports-io
import { readFileSync } from 'node:fs';
export const z = readFileSync;
