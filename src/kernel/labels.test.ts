import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { domainFrag, labelSpec, rfc1123Label, rfc952Label, type LabelSpec } from './labels.js';

const shared = fileURLToPath(new URL('../../../../shared/conformance/mesos-dns/', import.meta.url));
const labels = JSON.parse(readFileSync(shared + 'expected.json', 'utf8')).labels as Record<string, Record<string, string>>;

const tables: [string, (s: string) => string][] = [
  ['RFC952', rfc952Label],
  ['RFC1123', rfc1123Label],
  ['DomainFrag_RFC952', (s) => domainFrag(s, rfc952Label)],
  ['DomainFrag_RFC1123', (s) => domainFrag(s, rfc1123Label)],
];

t.test('conformance: all labels cases', async (t) => {
  let n = 0;
  for (const [table, f] of tables) {
    const cases = labels[table];
    t.ok(cases, `table ${table} present`);
    for (const [input, want] of Object.entries(cases ?? {})) {
      t.equal(f(input), want, `${table}(${JSON.stringify(input)})`);
      n++;
    }
  }
  t.equal(n, 100, 'exactly the 100 upstream cases ran');
});

/** Every property violation of `spec` over `inputs`, as readable strings (empty = all hold). */
function violations(spec: LabelSpec, max: number, noLeadingDigit: boolean, inputs: string[]): string[] {
  const bad: string[] = [];
  for (const input of inputs) {
    const out = spec(input);
    if (!/^[0-9a-z-]*$/.test(out)) bad.push(`charset: ${JSON.stringify(input)} → ${out}`);
    if (out.startsWith('-') || out.endsWith('-')) bad.push(`edge dash: ${JSON.stringify(input)} → ${out}`);
    if (noLeadingDigit && /^[0-9]/.test(out)) bad.push(`leading digit: ${JSON.stringify(input)} → ${out}`);
    if (out.length > max) bad.push(`length: ${JSON.stringify(input)} → ${out}`);
  }
  return bad;
}

t.test('properties hold on the inputs and on generated strings', async (t) => {
  const inputs = Object.values(labels).flatMap((table) => Object.keys(table));
  // A deterministic pseudo-random set of messy strings (no Math.random in tests of pure code either).
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const alphabet = 'aZ9-._$ @é-0-';
  for (let i = 0; i < 200; i++) {
    let s = '';
    const len = next() % 90;
    for (let j = 0; j < len; j++) s += alphabet[next() % alphabet.length];
    inputs.push(s);
  }
  t.ok(inputs.length > 250);
  t.same(violations(rfc952Label, 24, true, inputs), []);
  t.same(violations(rfc1123Label, 63, false, inputs), []);
});

t.test('labelSpec picks the flavour; domainFrag keeps dots as label separators', async (t) => {
  t.equal(labelSpec(true), rfc952Label);
  t.equal(labelSpec(false), rfc1123Label);
  t.equal(domainFrag('marathon.prod'), 'marathon.prod');
  t.equal(rfc1123Label('app.group'), 'app-group');
  t.equal(rfc1123Label('/web'), 'web');
});
