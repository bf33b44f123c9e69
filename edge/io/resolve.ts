// Agent host names → IPv4 addresses, as marathon-lb's gethostbyname with its LRU cache: every host
// of the current task list is looked up (in parallel, bounded) before the pure generator runs, so
// the generator gets a plain table. IP literals resolve to themselves; a failed lookup is absent
// (its tasks are left out, as marathon-lb does) and is retried next round.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Resolver } from '../networking.js';

export class HostResolver {
  private readonly cache = new Map<string, string>();
  constructor(private readonly capacity = 1000, private readonly timeoutMs = 3_000) {}

  private remember(host: string, ip: string): void {
    this.cache.delete(host);
    this.cache.set(host, ip);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
  }

  async prepare(hosts: readonly string[]): Promise<Resolver> {
    const todo = hosts.filter((h) => !isIP(h) && !this.cache.has(h));
    const queue = [...todo];
    const worker = async (): Promise<void> => {
      for (let h = queue.shift(); h !== undefined; h = queue.shift()) {
        const host = h;
        const ip = await Promise.race([
          lookup(host, { family: 4 }).then((r) => r.address, () => undefined),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), this.timeoutMs).unref()),
        ]);
        if (ip) this.remember(host, ip);
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, todo.length) }, worker));
    const table = new Map<string, string>();
    for (const h of hosts) {
      if (isIP(h) === 4) table.set(h, h);
      else { const ip = this.cache.get(h); if (ip) table.set(h, ip); }
    }
    return (host) => table.get(host);
  }
}
