// Clean: the door re-exports the room's daemon from io/ for src/cmd.
export { startAgent } from './io/agent.js';
