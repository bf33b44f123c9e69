// Data-driven conformance: every marathon-lb case (cases/ 138, generated/ 24) through the whole
// pipeline (Marathon JSON → services → haproxy.cfg), one subtest per case file. With marathon-lb's
// own templates (modern: false) the output must be byte-identical to expected_config, and the map
// files must match expected_domain_map / expected_app_map in order. With the default (modern)
// templates the output must be identical too, except for the cases listed in MODERN_CASES, whose
// expected configs use directives HAProxy 2.1+ removed; modern-haproxy.test.ts runs those through
// `haproxy -c`.
import t from 'tap';
import { basename } from 'node:path';
import { caseApps, caseOptions, caseResolver, listCases, loadCase } from './testing/conformance.js';
import { generate } from './generate.js';
import { loadTemplates, REMOVED_DIRECTIVES } from './templates.js';
import { MODERN_CASES } from './testing/modern-cases.js';

const removed = new RegExp(`^\\s*(${REMOVED_DIRECTIVES.join('|')})\\s`, 'm');

for (const sub of ['cases', 'generated'] as const) {
  const files = listCases(sub);
  t.test(`${sub}/ (${files.length} cases)`, async (t) => {
    let passed = 0;
    for (const file of files) {
      const c = loadCase(file);
      const name = basename(file, '.json');
      await t.test(name, async (t) => {
        const { apps, problems } = caseApps(c);
        t.equal(problems, 0, 'apps decode without problems');
        const src = { env: c.env, modern: false };
        const g = generate(apps, caseOptions(c), loadTemplates(src), caseResolver(c));
        if (!g.ok) return t.fail(g.error);
        t.equal(g.value.config, c.expected_config, 'byte-identical to marathon-lb');
        if (c.expected_domain_map) t.same(g.value.domainEntries, c.expected_domain_map, 'domain2backend.map');
        if (c.expected_app_map) t.same(g.value.appEntries, c.expected_app_map, 'app2backend.map');
        t.same(g.value.skipped, [], 'nothing skipped');
        const modern = generate(apps, caseOptions(c), loadTemplates({ env: c.env }), caseResolver(c));
        if (!modern.ok) return t.fail(modern.error);
        const listed = MODERN_CASES.includes(name);
        t.equal(listed, removed.test(c.expected_config), 'listed in MODERN_CASES exactly when marathon-lb emits removed directives');
        if (listed) {
          t.notMatch(modern.value.config, removed, 'modern output has no removed directive');
          t.not(modern.value.config, c.expected_config, 'modern output differs');
        } else t.equal(modern.value.config, c.expected_config, 'modern templates: identical too');
        if (g.value.config === c.expected_config) passed++;
      });
    }
    t.comment(`${sub}: ${passed}/${files.length} byte-identical`);
  });
}
