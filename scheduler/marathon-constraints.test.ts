import t from 'tap';
import { meetsConstraints, type Placement } from './marathon-constraints.js';

const at = (hostname: string, attributes: Record<string, string | number> = {}): Placement => ({ hostname, attributes });
const a1 = at('a1', { rack: 'r1', level: 3 });
const a2 = at('a2', { rack: 'r2', level: 4 });
const a3 = at('a3', { rack: 'r1' });

t.test('constraint operators', async (t) => {
  const cases: Array<[string, string[][], Placement, Placement[], boolean]> = [
    ['UNIQUE free host', [['hostname', 'UNIQUE']], a1, [a2], true],
    ['UNIQUE taken host', [['hostname', 'UNIQUE']], a1, [a1], false],
    ['UNIQUE attribute', [['rack', 'UNIQUE']], a3, [a1], false],
    ['UNIQUE on a missing attribute', [['zone', 'UNIQUE']], a1, [], false],
    ['CLUSTER value', [['rack', 'CLUSTER', 'r1']], a3, [], true],
    ['CLUSTER other value', [['rack', 'CLUSTER', 'r1']], a2, [], false],
    ['CLUSTER follows the first task', [['rack', 'CLUSTER']], a2, [a1], false],
    ['CLUSTER first task anywhere', [['rack', 'CLUSTER']], a2, [], true],
    ['LIKE matches whole value', [['hostname', 'LIKE', 'a[12]']], a2, [], true],
    ['LIKE is anchored', [['hostname', 'LIKE', 'a']], a1, [], false],
    ['UNLIKE', [['rack', 'UNLIKE', 'r1']], a1, [], false],
    ['UNLIKE on a missing attribute', [['zone', 'UNLIKE', 'z1']], a1, [], true],
    ['IS', [['level', 'IS', '3']], a1, [], true],
    ['MAX_PER under', [['rack', 'MAX_PER', '2']], a3, [a1], true],
    ['MAX_PER at limit', [['rack', 'MAX_PER', '2']], a3, [a1, a1], false],
    ['GROUP_BY prefers the emptier group', [['rack', 'GROUP_BY']], a3, [a1, a2], true],
    ['GROUP_BY without a count: an even spread over the groups seen', [['rack', 'GROUP_BY']], a1, [a1], true],
    ['GROUP_BY with 2 groups expected refuses the fuller group', [['rack', 'GROUP_BY', '2']], a1, [a1], false],
    ['GROUP_BY with 2 groups expected takes the empty one', [['rack', 'GROUP_BY', '2']], a2, [a1], true],
    ['GROUP_BY balanced groups accept either', [['rack', 'GROUP_BY', '2']], a1, [a1, a2], true],
    ['@hostname field', [['@hostname', 'IS', 'a1']], a1, [], true],
    ['unknown operator never matches', [['hostname', 'SOMETIMES']], a1, [], false],
    ['all must hold', [['hostname', 'UNIQUE'], ['rack', 'CLUSTER', 'r2']], a1, [], false],
  ];
  for (const [name, cs, cand, running, want] of cases) t.equal(meetsConstraints(cs, cand, running), want, name);
});
