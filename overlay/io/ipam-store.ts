// The CNI plugin's address store on disk, one directory per network under the data dir (host-local's
// layout): one file per reserved address, named by the address and holding "<containerId>\r\n<ifname>",
// created with O_EXCL so two plugins can never hold the same address; `last_reserved_ip.0` for the
// round robin; and a `lock` file (O_EXCL, holding the owner's pid, broken when that pid is gone)
// that serializes the read-choose-create step between concurrent plugin processes. Even if a lock
// were wrongly broken, O_EXCL still keeps every address with one owner.
import { readdir, readFile, unlink, mkdir } from 'node:fs/promises';
import { openSync, closeSync, writeSync, writeFileSync, readFileSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isIPv4, cidrContains } from '../../src/kernel/ip.js';
import { candidates, usableHosts } from '../ipam.js';
import { CNI_ERR, CniFailure, cniError } from '../errors.js';

const LAST = 'last_reserved_ip.0';
const LOCK = 'lock';

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;
const readOr = (file: string, dflt: string): string => {
  try { return readFileSync(file, 'utf8'); } catch { return dflt; }
};
/** Create the lock file holding our pid, or false if it exists. */
function tryLock(lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
  try { writeSync(fd, String(process.pid)); } finally { closeSync(fd); }
  return true;
}
const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return code(e) === 'EPERM'; }
};

export class IpamStore {
  readonly dir: string;

  constructor(dataDir: string, network: string, private readonly subnet: string, private readonly gateway: string, private readonly lockTimeoutMs = 60_000) {
    this.dir = join(dataDir, network);
  }

  /**
   * Run `f` holding the network's lock. `f` is synchronous on purpose: the critical section is a
   * handful of syscalls that never yield to the event loop, so a holder keeps the lock for about a
   * millisecond even on a busy machine, and 50 concurrent plugins queue up quickly.
   */
  async locked<T>(f: () => T): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    const lock = join(this.dir, LOCK);
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      if (tryLock(lock)) break;
      const owner = Number(readOr(lock, '').trim());
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        // Steal a dead owner's lock by renaming it away (atomic: one stealer wins).
        const stale = `${lock}.stale-${process.pid}`;
        try { renameSync(lock, stale); unlinkSync(stale); } catch { /* someone else did */ }
        continue;
      }
      if (Date.now() > deadline) throw new CniFailure(cniError(CNI_ERR.TRY_AGAIN_LATER, `IPAM store ${this.dir} is locked`, `lock held by pid ${owner}`));
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * delay));
    }
    try {
      return f();
    } finally {
      try { unlinkSync(lock); } catch { /* already gone */ }
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
   * Reserve a free address for (containerId, ifname). Under the lock only names are read (readdir);
   * the O_EXCL create is what makes an address exclusive.
   */
  async reserve(containerId: string, ifname: string): Promise<string> {
    const hosts = usableHosts(this.subnet, this.gateway);
    return this.locked(() => {
      const used = new Set(readdirSync(this.dir).filter((n) => isIPv4(n)));
      const last = readOr(join(this.dir, LAST), '').trim();
      for (const ip of candidates(hosts, used, cidrContains(this.subnet, last) ? last : undefined)) {
        let fd: number;
        try {
          fd = openSync(join(this.dir, ip), 'wx', 0o644);
        } catch (e) {
          if (code(e) === 'EEXIST') continue;
          throw e;
        }
        try { writeSync(fd, `${containerId}\r\n${ifname}`); } finally { closeSync(fd); }
        const tmp = join(this.dir, `${LAST}.tmp-${process.pid}`);
        writeFileSync(tmp, ip);
        renameSync(tmp, join(this.dir, LAST));
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
