// The error catalogue in errors.ts and the README's Errors table list the same codes.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { SCHED_ERRORS, httpStatusOf, schedError } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes('/dist/') ? resolve(here, '../..') : resolve(here, '..');

t.test('README lists exactly the codes of errors.ts', async (t) => {
  const readme = readFileSync(resolve(root, 'scheduler/README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| (SCHED_ERR_[A-Z_]+) \|/gm)].map((m) => m[1]).sort();
  t.same(listed, Object.keys(SCHED_ERRORS).sort());
});

t.test('codes map to HTTP statuses', async (t) => {
  t.equal(httpStatusOf('SCHED_ERR_INVALID_APP'), 422);
  t.equal(httpStatusOf('SCHED_ERR_CONFIG'), 500, 'exit-code errors are not HTTP statuses');
  t.equal(httpStatusOf('SOMETHING_ELSE'), 500);
  const e = schedError('SCHED_ERR_CNI', 'boom', { plugin: 'bridge' });
  t.same(e.toJSON(), { code: 'SCHED_ERR_CNI', message: 'boom', details: { plugin: 'bridge' } });
});
