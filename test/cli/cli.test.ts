// The CLI contract: help lists every subcommand, bad input exits 2 with a one-line reason and the
// usage, and `mesonet allocator simulate` answers the scenarios of issue 3.
import t from 'tap';
import { resolve } from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers/netns.js';

const mesonet = (...args: string[]) => {
  const r = spawnSync(process.execPath, [resolve(repoRoot, 'bin/mesonet.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

t.test('--help lists the subcommands; --version prints the version', async (t) => {
  const h = mesonet('--help');
  t.equal(h.code, 0);
  for (const c of ['master', 'agent', 'marathon', 'dns', 'l4lb', 'overlay', 'edge', 'up', 'down', 'status', 'exec', 'allocator']) {
    t.match(h.out, new RegExp(`^  ${c} `, 'm'), `lists ${c}`);
  }
  t.match(mesonet('--version').out, /^mesonet \d+\.\d+\.\d+\n$/);
});

t.test('bad input exits 2 with a one-line reason and the usage', async (t) => {
  const cases: [string[], RegExp][] = [
    [['bogus'], /unknown command 'bogus'/],
    [['--bogus'], /unknown flag '--bogus'/],
    [['up', '--agents', 'x'], /--agents must be an integer/],
    [['up', '--agents', '99'], /--agents must be between 1 and 8/],
    [['down', '--prefix', 'Bad/Prefix'], /prefix must be/],
    [['exec', 'master'], /missing '--'/],
    [['allocator', 'simulate'], /--scenario FILE is required/],
    [['allocator', 'nope'], /unknown command 'allocator nope'/],
    [['down', '--what'], /Unknown option '--what'/],
  ];
  for (const [args, reason] of cases) {
    const r = mesonet(...args);
    t.equal(r.code, 2, `${args.join(' ')} exits 2`);
    const [first, ...rest] = r.err.split('\n');
    t.match(first, reason, `${args.join(' ')}: reason on the first line`);
    t.match(rest.join('\n'), /usage: mesonet/, `${args.join(' ')}: usage follows`);
  }
});

t.test('every subcommand answers --help with exit 0', async (t) => {
  for (const c of ['master', 'agent', 'marathon', 'dns', 'l4lb', 'overlay', 'edge', 'up', 'down', 'status', 'exec', 'allocator']) {
    const r = mesonet(c, '--help');
    t.equal(r.code, 0, `${c} --help`);
    t.match(r.out, /usage: mesonet/, `${c} prints usage`);
  }
});

t.test('allocator simulate: DRF paper and weighted roles', async (t) => {
  const dir = mkdtempSync(resolve(tmpdir(), 'mn-sim-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const drf = resolve(dir, 'drf.json');
  writeFileSync(drf, JSON.stringify({
    agents: [{ id: 's1', resources: 'cpus:9;mem:18432' }],
    roles: { a: {}, b: {} },
    frameworks: [
      { id: 'A', role: 'a', task: 'cpus:1;mem:4096', policy: 'one-task' },
      { id: 'B', role: 'b', task: 'cpus:3;mem:1024', policy: 'one-task' },
    ],
  }));
  const r1 = mesonet('allocator', 'simulate', '--scenario', drf);
  t.equal(r1.code, 0);
  const out1 = JSON.parse(r1.out) as { tasks: Record<string, number>; cycles: number };
  t.same(out1.tasks, { A: 3, B: 2 }, 'DRF paper: A 3 tasks, B 2');

  const w = resolve(dir, 'weights.json');
  writeFileSync(w, JSON.stringify({
    agents: Array.from({ length: 6 }, (_, i) => ({ id: `a${i + 1}`, resources: 'cpus:2;mem:1024' })),
    roles: { r1: { weight: 1 }, r2: { weight: 2 }, r3: { weight: 3 } },
    frameworks: [1, 2, 3].map((i) => ({ id: `f${i}`, role: `r${i}`, task: 'cpus:2;mem:1024', policy: 'hold' })),
  }));
  const r2 = mesonet('allocator', 'simulate', '--scenario', w, '--seed', '7');
  t.equal(r2.code, 0);
  const out2 = JSON.parse(r2.out) as { agents: Record<string, string[]> };
  t.same([1, 2, 3].map((i) => out2.agents[`f${i}`]?.length), [1, 2, 3], 'weights 1,2,3 under hold get 1, 2 and 3 agents');
});
