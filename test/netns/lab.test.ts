// End to end: `mesonet up --agents 2` builds the lab, every checklist line passes, `mesonet down`
// removes it, and nothing of it is left in the root namespace.
import t from 'tap';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { netnsAllowed, uniquePrefix, sh, repoRoot } from '../helpers/netns.js';

const mesonet = resolve(repoRoot, 'bin/mesonet.js');

async function run(args: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  try {
    const r = await sh(process.execPath, [mesonet, ...args], { timeoutMs });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

t.test('mesonet up --agents 2: every check passes; down leaves nothing', { timeout: 300_000 }, async (t) => {
  if (!netnsAllowed(t)) return;
  const prefix = uniquePrefix('lab').replace(/[^a-z0-9]/g, '').slice(0, 8);
  const linksBefore = (await sh('ip', ['-o', 'link', 'show'])).stdout.split('\n').length;
  t.teardown(() => run(['down', '--prefix', prefix], 60_000));

  const up = await run(['up', '--agents', '2', '--prefix', prefix], 240_000);
  t.comment(up.out);
  t.equal(up.code, 0, 'up exits 0');
  const lines = up.out.split('\n').filter((l) => /^\s+[✓✗] /.test(l));
  t.ok(lines.length >= 9, `checklist has every line (${lines.length})`);
  for (const l of lines) t.match(l, /^\s+✓ /, l.trim());
  t.match(up.out, /checks passed; total/, 'prints a total time');

  const status = await run(['status', '--prefix', prefix], 30_000);
  t.match(status.out, /daemons \(/, 'status lists the daemons');
  t.notMatch(status.out, /DEAD/, 'every daemon is alive');

  const down = await run(['down', '--prefix', prefix], 60_000);
  t.equal(down.code, 0, 'down exits 0');
  const ns = (await sh('ip', ['netns', 'list'])).stdout;
  t.notMatch(ns, new RegExp(`^${prefix}-`, 'm'), 'no namespace left');
  t.equal((await sh('ip', ['-o', 'link', 'show'])).stdout.split('\n').length, linksBefore, 'no link left in the root namespace');
  t.notOk(existsSync(`/etc/netns/${prefix}-h1`), 'no /etc/netns entry left');
  const ipt = (await sh('iptables-save', [])).stdout;
  t.notMatch(ipt, /MINUTEMAN|NFQUEUE|mesonet/i, 'no rule in the root namespace');
  const sets = (await sh('ipset', ['list', '-n'])).stdout;
  t.equal(sets.trim(), '', 'no ipset in the root namespace');
});
