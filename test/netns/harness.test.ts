// The namespace harness: two lab hosts reach each other over the underlay, setup is idempotent,
// and teardown leaves nothing behind in the root namespace.
import t from 'tap';
import { resolve } from 'node:path';
import { netnsAllowed, uniquePrefix, lab, nsExec, sh, scriptsDir } from '../helpers/netns.js';

const rootLinks = async () => (await sh('ip', ['-o', 'link', 'show'])).stdout;
const namespaces = async () => (await sh('ip', ['netns', 'list'])).stdout;

t.test('two lab hosts reach each other; teardown removes everything', async (t) => {
  if (!netnsAllowed(t)) return;
  const prefix = uniquePrefix('har');
  const before = await rootLinks();
  const l = await lab(t, prefix, 2);
  t.same(l.hosts, [`${prefix}-h1`, `${prefix}-h2`]);
  t.same(l.ips, ['198.18.0.11', '198.18.0.12']);
  const ping = await nsExec(l.hosts[0]!, ['ping', '-c', '1', '-W', '2', l.ips[1]!]);
  t.match(ping.stdout, /1 received/);

  // Idempotent: a second run changes nothing and keeps connectivity.
  const again = await lab(t, prefix, 2);
  t.same(again.ips, l.ips);
  const ping2 = await nsExec(l.hosts[1]!, ['ping', '-c', '1', '-W', '2', l.ips[0]!]);
  t.match(ping2.stdout, /1 received/);
  t.equal(await rootLinks(), before, 'setup created nothing in the root namespace');

  await sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix]);
  t.notMatch(await namespaces(), new RegExp(`^${prefix}-`, 'm'), 'no namespace left');
  t.equal(await rootLinks(), before, 'no link left in the root namespace');
  await sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix]); // twice is fine
});

t.test('setup refuses a bad prefix with exit 2', async (t) => {
  if (!netnsAllowed(t)) return;
  await t.rejects(sh('bash', [resolve(scriptsDir, 'setup.sh'), 'Bad/Prefix', '2']), { code: 2 });
});
