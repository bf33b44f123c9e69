// The CNI plugin's address store on disk, one directory per network under the data dir (host-local's
// layout): one file per reserved address, named by the address and holding "<containerId>\r\n<ifname>",
// created with O_EXCL so two plugins can never hold the same address; `last_reserved_ip.0` for the
// round robin; and a `lock` file (O_EXCL, holding the owner's pid, broken when that pid is gone)
// that serializes the read-choose-create step between concurrent plugin processes. Even if a lock
// were wrongly broken, O_EXCL still keeps every address with one owner.
import { open, readdir, readFile, unlink, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isIPv4, cidrContains } from '../../src/kernel/ip.js';
import { candidates, usableHosts } from '../ipam.js';
import { CNI_ERR, CniFailure, cniError } from '../errors.js';

const LAST = 'last_reserved_ip.0';
const LOCK = 'lock';

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;
const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return code(e) === 'EPERM'; }
};

export class IpamStore {
  readonly dir: string;

  constructor(dataDir: string, network: string, private readonly subnet: string, private readonly gateway: string, private readonly lockTimeoutMs = 10_000) {
    this.dir = join(dataDir, network);
  }

  /** Run `f` holding the network's lock. */
  async locked<T>(f: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    const lock = join(this.dir, LOCK);
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      try {
        const fh = await open(lock, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        break;
      } catch (e) {
        if (code(e) !== 'EEXIST') throw e;
      }
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        // Steal a dead owner's lock by renaming it away (atomic: one stealer wins).
        await rename(lock, `${lock}.stale-${process.pid}`).then(() => unlink(`${lock}.stale-${process.pid}`)).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new CniFailure(cniError(CNI_ERR.TRY_AGAIN_LATER, `IPAM store ${this.dir} is locked`, `lock held by pid ${owner}`));
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
    try {
      return await f();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  /** Every reservation: address → "<containerId>\r\n<ifname>". */
  private async entries(): Promise<Map<string, string>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out = new Map<string, string>();
    await Promise.all(names.filter((n) => isIPv4(n)).map(async (n) => {
      out.set(n, await readFile(join(this.dir, n), 'utf8').catch(() => ''));
    }));
    return out;
  }

  /** The address held by (containerId, ifname), if any. */
  async find(containerId: string, ifname: string): Promise<string | undefined> {
    const owner = `${containerId}\r\n${ifname}`;
    for (const [ip, who] of await this.entries()) if (who.trim() === owner) return ip;
    return undefined;
  }

  /**
   * Reserve a free address for (containerId, ifname). Under the lock only names are read (readdir),
   * so the critical section stays short; the O_EXCL create is what makes an address exclusive.
   */
  async reserve(containerId: string, ifname: string): Promise<string> {
    return this.locked(async () => {
      const used = new Set((await readdir(this.dir)).filter((n) => isIPv4(n)));
      const last = (await readFile(join(this.dir, LAST), 'utf8').catch(() => '')).trim();
      const hosts = usableHosts(this.subnet, this.gateway);
      for (const ip of candidates(hosts, used, cidrContains(this.subnet, last) ? last : undefined)) {
        let fh;
        try {
          fh = await open(join(this.dir, ip), 'wx', 0o644);
        } catch (e) {
          if (code(e) === 'EEXIST') continue;
          throw e;
        }
        try { await fh.writeFile(`${containerId}\r\n${ifname}`); } finally { await fh.close(); }
        await this.writeLast(ip);
        return ip;
      }
      throw new CniFailure(cniError(CNI_ERR.ADDRESS_EXHAUSTED, `no free address left in ${this.subnet}`, `${hosts.length} addresses, all reserved`));
    });
  }

  /** Undo one reservation (rollback of a failed ADD), only if it still belongs to (containerId, ifname). */
  async releaseAddress(ip: string, containerId: string, ifname: string): Promise<void> {
    const who = await readFile(join(this.dir, ip), 'utf8').catch(() => undefined);
    if (who?.trim() === `${containerId}\r\n${ifname}`) await unlink(join(this.dir, ip)).catch(() => undefined);
  }

  private async writeLast(ip: string): Promise<void> {
    const tmp = join(this.dir, `${LAST}.tmp-${process.pid}`);
    const fh = await open(tmp, 'w', 0o644);
    try { await fh.writeFile(ip); } finally { await fh.close(); }
    await rename(tmp, join(this.dir, LAST));
  }

  /**
   * Release whatever (containerId, ifname) holds (idempotent); returns the addresses freed. No lock:
   * removing a record is atomic, and the runtime never runs ADD and DEL of one container at once.
   */
  async release(containerId: string, ifname: string): Promise<string[]> {
    const owner = `${containerId}\r\n${ifname}`;
    const freed: string[] = [];
    for (const [ip, who] of await this.entries()) {
      if (who.trim() !== owner) continue;
      await unlink(join(this.dir, ip)).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });
      freed.push(ip);
    }
    return freed;
  }

  /** Number of reserved addresses (tests, diagnostics). */
  async count(): Promise<number> {
    return (await this.entries()).size;
  }
}
