// cmd-imports-room-internals
import { records } from '../../dns/records.js';
export const run = records;
