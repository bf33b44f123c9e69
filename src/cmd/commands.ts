// Every `mesonet` subcommand, in help order. Each lives in its own file under src/cmd/.
import type { Command } from './cli.js';
import { command as master } from './master.js';
import { command as agent } from './agent.js';
import { command as marathon } from './marathon.js';
import { command as dns } from './dns.js';
import { command as l4lb } from './l4lb.js';
import { command as overlay } from './overlay.js';
import { command as edge } from './edge.js';
import { command as up } from './up.js';
import { command as down } from './down.js';
import { command as status } from './status.js';
import { command as exec } from './exec.js';
import { command as native } from './native.js';
import { command as allocator } from './allocator.js';

export const commands: readonly Command[] = [master, agent, marathon, dns, l4lb, overlay, edge, up, down, status, exec, allocator, native];
