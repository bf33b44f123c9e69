import { notYet } from './cli.js';

export const command = notYet('overlay', 'VXLAN overlay: leases, agent programming (leases, agent)');
