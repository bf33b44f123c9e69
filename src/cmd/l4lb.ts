import { notYet } from './cli.js';

export const command = notYet('l4lb', 'Minuteman-style VIP load balancer (serve, vips)');
