// Clean: the composition root imports rooms through their index.
import { records } from '../../dns/index.js';
import { balancer } from '../../l4lb/index.js';
export const run = (): string => records(Number(process.env.NOW ?? 0)) + String(balancer);
