import { notYet } from './cli.js';

export const command = notYet('status', 'show the lab: agents, apps, tasks, VIPs, records, leases, daemons');
