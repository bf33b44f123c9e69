// Putting a generated config in place the way marathon-lb does, minus its races: write the new
// config (and map files) to temporary files next to nothing live, `haproxy -c` them (map paths in
// the checked copy point at the temporary maps), then atomically rename maps and config into
// place and keep the last `archiveVersions` copies in <run dir>/archive. Nothing live is touched
// unless the check passes, so the running HAProxy always has the last good config.
import { existsSync, mkdirSync, readFileSync, renameSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomicWrite } from '../../src/io/atomic-write.js';
import { checkConfig, type CheckResult } from './haproxy.js';

export interface Installed {
  readonly config: string;
  readonly domainMap: string;
  readonly appMap: string;
}

export interface ApplierOptions {
  readonly configFile: string;
  readonly runDir: string;
  readonly haproxyBin: string;
  readonly skipValidation: boolean;
  readonly archiveVersions: number;
}

const readOr = (p: string, dflt: string): string => {
  try { return readFileSync(p, 'utf8'); } catch { return dflt; }
};

export class ConfigApplier {
  readonly domainMapFile: string;
  readonly appMapFile: string;
  private readonly checkDir: string;
  private seq = 0;

  constructor(private readonly opts: ApplierOptions) {
    const dir = dirname(opts.configFile);
    this.domainMapFile = join(dir, 'domain2backend.map');
    this.appMapFile = join(dir, 'app2backend.map');
    this.checkDir = join(opts.runDir, 'check');
  }

  /** What is on disk now (config '' when there is none). */
  onDisk(): Installed {
    return { config: readOr(this.opts.configFile, ''), domainMap: readOr(this.domainMapFile, ''), appMap: readOr(this.appMapFile, '') };
  }

  same(a: Installed, b: Installed): boolean {
    return a.config === b.config && a.domainMap === b.domainMap && a.appMap === b.appMap;
  }

  /** Validate without touching anything live. `file` is the checked copy (for tracing errors). */
  async check(next: Installed): Promise<CheckResult & { file: string; text: string }> {
    mkdirSync(this.checkDir, { recursive: true });
    const n = this.seq++ % 4;
    const dm = join(this.checkDir, `domain2backend.${n}.map`);
    const am = join(this.checkDir, `app2backend.${n}.map`);
    const file = join(this.checkDir, `haproxy.${n}.cfg`);
    const text = next.config.replaceAll(this.domainMapFile, dm).replaceAll(this.appMapFile, am);
    await atomicWrite(dm, next.domainMap);
    await atomicWrite(am, next.appMap);
    await atomicWrite(file, text);
    if (this.opts.skipValidation) return { ok: true, output: 'validation skipped', file, text };
    return { ...(await checkConfig(this.opts.haproxyBin, file)), file, text };
  }

  /** Move a checked config into place (maps first, so the config never names a missing map). */
  async install(next: Installed): Promise<void> {
    mkdirSync(dirname(this.opts.configFile), { recursive: true });
    if (next.domainMap !== '' || existsSync(this.domainMapFile)) await atomicWrite(this.domainMapFile, next.domainMap);
    if (next.appMap !== '' || existsSync(this.appMapFile)) await atomicWrite(this.appMapFile, next.appMap);
    await atomicWrite(this.opts.configFile, next.config);
    this.archive();
  }

  private archive(): void {
    const keep = this.opts.archiveVersions;
    if (keep <= 0) return;
    const dir = join(this.opts.runDir, 'archive');
    mkdirSync(dir, { recursive: true });
    for (let i = keep - 1; i >= 1; i--) {
      const from = join(dir, `haproxy.cfg.${i}`);
      if (existsSync(from)) renameSync(from, join(dir, `haproxy.cfg.${i + 1}`));
    }
    copyFileSync(this.opts.configFile, join(dir, 'haproxy.cfg.1'));
  }
}
