// pure-imports-io
export { open } from './io/nfqueue.js';
