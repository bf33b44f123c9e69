import t from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from './file-store.js';

t.test('file store: one JSON file per namespace, reopened intact, no temp files left', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-store-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const s = await openFileStore(join(dir, 'store'));
  const leases = s.records('overlay-leases');
  const writes = [];
  for (let i = 0; i < 50; i++) writes.push(leases.put(`agent-${i}`, { subnet: `198.19.${i}.0/24` }));
  await Promise.all(writes);
  await s.records('master').put('meta', { id: 'x' });
  await s.close();
  t.same((await readdir(join(dir, 'store'))).sort(), ['master.json', 'overlay-leases.json']);
  const reopened = await openFileStore(join(dir, 'store'));
  t.equal(reopened.records('overlay-leases').list().length, 50);
  t.same(reopened.records('overlay-leases').get('agent-7'), { subnet: '198.19.7.0/24' });
  t.same(JSON.parse(await readFile(join(dir, 'store', 'master.json'), 'utf8')), { meta: { id: 'x' } });
});

t.test('a corrupt store file is an error, not silently empty state', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-store-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'master.json'), '{"meta": ');
  await t.rejects(openFileStore(dir), { code: 'SCHED_ERR_STORE' });
});
