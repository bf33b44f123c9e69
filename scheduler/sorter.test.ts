// Pure DRF sorter orderings from Mesos' sorter tests (reference/core.md §5.2, last block).
import t from 'tap';
import { DRFSorter } from './sorter.js';
import { quantities } from './resources.js';

const q = (cpus: number, mem: number) => quantities({ cpus, mem });

type Op =
  | ['total', number, number] | ['untotal', number, number]
  | ['add', string, number?] | ['remove', string]
  | ['alloc', string, number, number] | ['unalloc', string, number, number]
  | ['deactivate', string] | ['activate', string] | ['weight', string, number]
  | ['expect', string[]];

type Same = (found: unknown, wanted: unknown, message: string) => void;

function run(same: Same, ops: Op[], name: (c: string) => string): void {
  const s = new DRFSorter();
  for (const op of ops) {
    switch (op[0]) {
      case 'total': s.addTotal(q(op[1], op[2])); break;
      case 'untotal': s.removeTotal(q(op[1], op[2])); break;
      case 'add': s.add(name(op[1]), true); if (op[2] !== undefined) s.updateWeight(name(op[1]), op[2]); break;
      case 'remove': s.remove(name(op[1])); break;
      case 'alloc': s.allocated(name(op[1]), q(op[2], op[3])); break;
      case 'unalloc': s.unallocated(name(op[1]), q(op[2], op[3])); break;
      case 'deactivate': s.deactivate(name(op[1])); break;
      case 'activate': s.activate(name(op[1])); break;
      case 'weight': s.updateWeight(name(op[1]), op[2]); break;
      case 'expect': same(s.sort(), op[1].map(name), `order ${op[1].join(',')}`); break;
    }
  }
}

const DRF: Op[] = [
  ['total', 100, 100],
  ['add', 'a'], ['alloc', 'a', 5, 5], ['add', 'b'], ['alloc', 'b', 6, 6], ['expect', ['a', 'b']],
  ['add', 'c'], ['alloc', 'c', 1, 1], ['add', 'd'], ['alloc', 'd', 3, 1], ['expect', ['c', 'd', 'a', 'b']],
  ['remove', 'a'], ['unalloc', 'b', 4, 4], ['expect', ['c', 'b', 'd']],
  ['add', 'e'], ['alloc', 'e', 1, 5], ['untotal', 100, 100], ['total', 50, 100], ['expect', ['c', 'b', 'e', 'd']],
  ['untotal', 50, 100], ['total', 50, 200], ['add', 'f'], ['alloc', 'f', 5, 1], ['alloc', 'c', 0, 15],
  ['expect', ['e', 'b', 'd', 'c', 'f']],
  ['deactivate', 'd'], ['expect', ['e', 'b', 'c', 'f']],
  ['activate', 'd'], ['expect', ['e', 'b', 'd', 'c', 'f']],
];

const WDRF: Op[] = [
  ['total', 100, 100],
  ['add', 'a', 1], ['alloc', 'a', 5, 5], ['add', 'b', 2], ['alloc', 'b', 6, 6], ['expect', ['b', 'a']],
  ['add', 'c', 1], ['alloc', 'c', 4, 4], ['expect', ['b', 'c', 'a']],
  ['add', 'd', 10], ['alloc', 'd', 10, 20], ['expect', ['d', 'b', 'c', 'a']],
  ['remove', 'b'], ['alloc', 'd', 10, 25], ['expect', ['c', 'd', 'a']],
  ['add', 'e', 0.1], ['alloc', 'e', 1, 1], ['expect', ['c', 'd', 'a', 'e']],
];

const UPDATE_WEIGHT: Op[] = [
  ['total', 100, 100], ['add', 'a'], ['alloc', 'a', 5, 5], ['add', 'b'], ['alloc', 'b', 6, 6], ['expect', ['a', 'b']],
  ['weight', 'b', 2], ['expect', ['b', 'a']],
];

// Equal shares (3/3 of 100/100) reached in different numbers of allocations: a,b,e once, d twice, c three times.
const COUNT_TIE: Op[] = [
  ['total', 100, 100], ['add', 'a'], ['add', 'b'], ['add', 'c'], ['add', 'd'], ['add', 'e'],
  ['alloc', 'a', 3, 3], ['alloc', 'b', 3, 3], ['alloc', 'c', 1, 1], ['alloc', 'c', 1, 1], ['alloc', 'c', 1, 1],
  ['alloc', 'd', 2, 2], ['alloc', 'd', 1, 1], ['alloc', 'e', 3, 3], ['expect', ['a', 'b', 'e', 'd', 'c']],
  ['unalloc', 'c', 3, 3], ['expect', ['c', 'a', 'b', 'e', 'd']],
  ['alloc', 'c', 3, 3], ['expect', ['a', 'b', 'e', 'd', 'c']],
  // count is not reset by deactivate/activate, and allocations to an inactive client still count.
  ['unalloc', 'a', 3, 3], ['deactivate', 'a'], ['expect', ['b', 'e', 'd', 'c']],
  ['alloc', 'a', 3, 3], ['activate', 'a'], ['expect', ['b', 'e', 'a', 'd', 'c']],
];

const shapes: Array<[string, (c: string) => string]> = [
  ['flat', (c) => c], ['ShallowHierarchy', (c) => `${c}/${c}`], ['DeepHierarchy', (c) => `${c}/${c}/${c}/${c}/${c}`],
];
for (const [shape, name] of shapes) {
  t.test(`DRF (${shape})`, async (t) => run((f, w, m) => t.same(f, w, m), DRF, name));
  t.test(`AllocationCountTieBreak (${shape})`, async (t) => run((f, w, m) => t.same(f, w, m), COUNT_TIE, name));
}
t.test('WDRF', async (t) => run((f, w, m) => t.same(f, w, m), WDRF, (c) => c));
t.test('UpdateWeight', async (t) => run((f, w, m) => t.same(f, w, m), UPDATE_WEIGHT, (c) => c));

t.test('hierarchy: siblings compete through their parents', async (t) => {
  const s = new DRFSorter();
  s.addTotal(q(100, 100));
  for (const c of ['x/a', 'x/b', 'y/c']) s.add(c, true);
  s.allocated('x/a', q(10, 10));
  s.allocated('y/c', q(5, 5));
  // x (.10) is behind y (.05) even though x/b itself has nothing.
  t.same(s.sort(), ['y/c', 'x/b', 'x/a']);
  t.equal(s.count('x/a'), 1);
});

t.test('hierarchy: a client that is also a parent lives in a virtual leaf', async (t) => {
  const s = new DRFSorter();
  s.addTotal(q(100, 100));
  s.add('a', true);
  s.allocated('a', q(2, 2));
  s.add('a/b', true);
  s.add('c', true);
  s.allocated('c', q(1, 1));
  t.same(s.sort(), ['c', 'a/b', 'a'], 'a keeps its allocation: a/b (0) before a (.02) inside a; c (.01) before the a subtree (.02)');
  t.equal(s.share('a'), 0.02);
  s.remove('a/b');
  t.same(s.sort(), ['c', 'a'], 'collapsed back into a plain leaf');
  s.allocated('a', q(1, 1));
  t.equal(s.count('a'), 2);
});

t.test('weights apply to role paths; excluded names are ignored', async (t) => {
  const s = new DRFSorter({ excludedNames: ['gpus'] });
  s.addTotal(new Map([['cpus', 10000], ['gpus', 1000]]));
  s.add('a', true); s.add('b', true);
  s.allocated('a', new Map([['gpus', 1000]]));
  s.allocated('b', new Map([['cpus', 1000]]));
  t.same(s.sort(), ['a', 'b'], 'a holds the only GPU but gpus are excluded');
  t.equal(s.share('b'), 0.1);
});

t.test('non-hierarchical sorter keeps slashes in names literal', async (t) => {
  const s = new DRFSorter({ hierarchical: false });
  s.addTotal(q(10, 10));
  s.add('fw/1', true); s.add('fw', true);
  s.allocated('fw', q(1, 1));
  t.same(s.sort(), ['fw/1', 'fw']);
  t.notOk(s.isActive('nope'));
});
