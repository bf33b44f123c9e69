// Clean: a room's public door.
export { records } from './records.js';
