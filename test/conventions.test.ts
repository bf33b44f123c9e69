// The house rules of DESIGN.md, enforced: (a) the real tree has no violation; (b) each rule fires
// on the fixture tree test/conventions-fixtures/ (and its clean files stay clean).
import t from 'tap';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConventions, formatViolation, RULES, type SourceFile } from './helpers/conventions.js';

// dist/test/conventions.test.js → repository root (sources are read from there, not from dist).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function collect(base: string, dir: string, out: SourceFile[]): SourceFile[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist' && !name.startsWith('.')) collect(base, p, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      out.push({ path: relative(base, p).split(sep).join('/'), source: readFileSync(p, 'utf8') });
    }
  }
  return out;
}

t.test('the real tree follows the house rules', async (t) => {
  const files = ['src', 'scheduler', 'dns', 'l4lb', 'overlay', 'edge']
    .filter((d) => existsSync(join(root, d)))
    .flatMap((d) => collect(root, join(root, d), []));
  t.ok(files.some((f) => f.path === 'src/kernel/errors.ts'), 'read the sources from the repository root');
  const found = checkConventions(files);
  const errors = found.filter((v) => v.severity === 'error');
  for (const w of found.filter((v) => v.severity === 'warning')) t.comment(formatViolation(w));
  t.same(errors.map(formatViolation), [], `${files.length} files checked`);
});

t.test('every rule fires on the fixture tree, and clean fixtures stay clean', async (t) => {
  const fixtures = collect(join(root, 'test', 'conventions-fixtures'), join(root, 'test', 'conventions-fixtures'), []);
  const found = checkConventions(fixtures);
  const got = [...new Set(found.map((v) => `${v.severity} ${v.rule} ${v.path}`))].sort();
  t.same(got, [
    'error cmd-imports-room-internals src/cmd/bad-room-internals.ts',
    'error kernel-imports-outside src/kernel/bad-outside.ts',
    'error native-addon-outside-nfqueue l4lb/io/bad-native.ts',
    'error pure-imports-io l4lb/bad-pure-node-io.ts',
    'error pure-imports-io l4lb/bad-pure-room-io.ts',
    'error pure-uses-impure-global overlay/bad-impure-globals.ts',
    'error room-imports-room dns/bad-room-import.ts',
    'error shared-imports-room src/io/bad-imports-room.ts',
    'warning long-file edge/bad-long-file.ts',
  ]);
  t.same([...new Set(found.map((v) => v.rule))].sort(), [...RULES].sort(), 'each rule has a fixture');
  // Each bad-* fixture names the rule it breaks in its first comment.
  for (const f of fixtures.filter((x) => /\/bad-[^/]+$/.test(x.path))) {
    const rule = /^\/\/ ([a-z-]+)/.exec(f.source)?.[1];
    t.ok(found.some((v) => v.path === f.path && v.rule === rule), `${f.path} breaks ${rule}`);
  }
  const globals = found.filter((v) => v.rule === 'pure-uses-impure-global').map((v) => v.message.replace(/^pure file uses (.*?);.*$/, '$1'));
  t.same(globals, ['Date.now', 'new Date()', 'performance.now', 'Math.random', 'process.env']);
  t.same(found.filter((v) => v.rule === 'room-imports-room').map((v) => v.line), [2], 'line numbers point at the import');
});
