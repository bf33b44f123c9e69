// Marathon placement constraints `[field, operator, value?]` evaluated for one candidate agent
// against the app's current tasks. Fields: `hostname`/`@hostname` (agent hostname), `@region`,
// `@zone`, or an agent attribute. Operators: UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER, IS.
// Pure.

export interface Placement {
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, string | number>>;
}

function fieldValue(p: Placement, field: string): string | undefined {
  if (field === 'hostname' || field === '@hostname') return p.hostname;
  const key = field.startsWith('@') ? field.slice(1) : field;
  const v = p.attributes[key];
  return v === undefined ? undefined : String(v);
}

const fullMatch = (re: string, s: string): boolean => {
  try { return new RegExp(`^(?:${re})$`).test(s); } catch { return false; }
};

/** Does placing one more task on `candidate` satisfy every constraint, given where tasks already run? */
export function meetsConstraints(constraints: readonly string[][], candidate: Placement, running: readonly Placement[]): boolean {
  return constraints.every((c) => meets(c, candidate, running));
}

function meets([field = '', op = '', value]: readonly string[], candidate: Placement, running: readonly Placement[]): boolean {
  const mine = fieldValue(candidate, field);
  const others = running.map((r) => fieldValue(r, field));
  const count = (v: string | undefined) => others.filter((o) => o === v).length;
  switch (op) {
    case 'UNIQUE': return mine !== undefined && count(mine) === 0;
    case 'CLUSTER':
      if (mine === undefined) return false;
      if (value !== undefined && value !== '') return mine === value;
      return others.every((o) => o === mine);
    case 'IS': return mine !== undefined && mine === value;
    case 'LIKE': return mine !== undefined && value !== undefined && fullMatch(value, mine);
    case 'UNLIKE': return mine === undefined || value === undefined || !fullMatch(value, mine);
    case 'MAX_PER': return mine !== undefined && count(mine) < Number(value ?? 1);
    case 'GROUP_BY': {
      if (mine === undefined) return false;
      // Spread evenly: only place on a value that has no more tasks than the least used one seen.
      const seen = new Set(others.filter((o): o is string => o !== undefined));
      seen.add(mine);
      // With an expected number of groups larger than the groups in use, empty groups come first.
      const expected = Number(value ?? 0);
      const inUse = new Set(others.filter((o): o is string => o !== undefined)).size;
      const min = expected > inUse ? 0 : Math.min(...[...seen].map(count));
      return count(mine) <= min;
    }
    default: return false;
  }
}
