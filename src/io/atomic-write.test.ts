import t from 'tap';
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWrite, atomicWriteSync } from './atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'mesonet-atomic-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('writes and replaces, leaving no temp files', async (t) => {
  const p = join(dir, 'a.cfg');
  await atomicWrite(p, 'one');
  t.equal(readFileSync(p, 'utf8'), 'one');
  await atomicWrite(p, Buffer.from('two'));
  t.equal(readFileSync(p, 'utf8'), 'two');
  atomicWriteSync(p, 'three');
  t.equal(readFileSync(p, 'utf8'), 'three');
  t.same(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

t.test('mode', async (t) => {
  const p = join(dir, 'secret');
  await atomicWrite(p, 'x', { mode: 0o600 });
  t.equal(statSync(p).mode & 0o777, 0o600);
  const q = join(dir, 'secret-sync');
  atomicWriteSync(q, 'x', { mode: 0o640 });
  t.equal(statSync(q).mode & 0o777, 0o640);
});

t.test('failure leaves the old file and no temp file', async (t) => {
  const target = join(dir, 'is-a-dir');
  mkdirSync(target);
  writeFileSync(join(target, 'keep'), 'k');
  await t.rejects(atomicWrite(target, 'x'));
  t.throws(() => atomicWriteSync(target, 'x'));
  t.equal(readFileSync(join(target, 'keep'), 'utf8'), 'k');
  t.same(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  await t.rejects(atomicWrite(join(dir, 'missing-dir', 'f'), 'x'), { code: 'ENOENT' });
});

t.test('concurrent writers: the file is always one whole version', async (t) => {
  const p = join(dir, 'race');
  const versions = Array.from({ length: 20 }, (_, i) => `v${i}-`.repeat(2000));
  await Promise.all(versions.map((v) => atomicWrite(p, v)));
  t.ok(versions.includes(readFileSync(p, 'utf8')));
});
