// The conformance cases whose marathon-lb output uses directives HAProxy 2.1+ removed: with the
// modern templates mesonet emits, each must pass `haproxy -c` on this machine's HAProxy (paths
// rewritten to a temporary directory). Controls: a plain case passes too, and the legacy
// (marathon-lb byte-identical) output of a listed case is rejected — so the check is meaningful.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { caseApps, caseOptions, caseResolver, conformanceDir, loadCase } from '../testing/conformance.js';
import { makeCheckDir } from '../testing/check-fixture.js';
import { MODERN_CASES } from '../testing/modern-cases.js';
import { generate } from '../generate.js';
import { loadTemplates } from '../templates.js';
import { checkConfig } from './haproxy.js';

const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

function caseFile(name: string): string {
  return resolve(conformanceDir, name.startsWith('G') ? 'generated' : 'cases', `${name}.json`);
}

function render(name: string, modern: boolean): string {
  const c = loadCase(caseFile(name));
  const g = generate(caseApps(c).apps, caseOptions(c), loadTemplates({ env: c.env, modern }), caseResolver(c));
  if (!g.ok) throw new Error(g.error);
  return g.value.config;
}

t.test('modern equivalents pass haproxy -c', async (t) => {
  const dir = await makeCheckDir();
  t.teardown(() => dir.remove());
  let n = 0;
  const check = async (name: string, config: string): Promise<{ ok: boolean; output: string }> => {
    const file = join(dir.dir, `${name}-${n++}.cfg`);
    writeFileSync(file, dir.rewrite(config));
    return checkConfig(HAPROXY, file);
  };
  t.equal(MODERN_CASES.length, 19, 'the 19 cases marathon-lb renders with removed directives');
  for (const name of MODERN_CASES) {
    const r = await check(name, render(name, true));
    t.ok(r.ok, `${name}: valid`, { output: r.output });
  }
  const plain = await check('015', render('015-config-simple-app', true));
  t.ok(plain.ok, 'control: a plain case is valid', { output: plain.output });
  const legacy = await check('legacy', render('029-config-simple-app-proxypass', false));
  t.notOk(legacy.ok, 'control: marathon-lb\'s reqirep output is rejected by this HAProxy');
  t.match(legacy.output, /reqirep/);
});
