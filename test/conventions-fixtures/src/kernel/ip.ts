// Clean kernel file: packages and kernel siblings are fine.
import ipaddr from 'ipaddr.js';
import { ok } from './errors.js';
export const parseIp = (s: string) => ok(ipaddr.isValid(s));
