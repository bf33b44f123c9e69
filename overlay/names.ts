// Derived names and MACs shared by the agent and the CNI plugin. Pure.
import { fnv1a } from './hash.js';

/** Host-side veth name for (container, ifname): stable, 12 characters (Linux allows 15). */
export function hostVethName(containerId: string, ifname: string): string {
  return `veth${fnv1a(`${containerId}\0${ifname}`).toString(16).padStart(8, '0')}`;
}

/**
 * MAC for an interface owning an IPv4 address: 0a:58 (locally administered) + the four address
 * bytes. Unique within the overlay, stable across restarts; bridges get their gateway's, so a
 * bridge's MAC does not change as ports come and go.
 */
export function macForIp(ip: string): string {
  return ['0a', '58', ...ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'))].join(':');
}
