// Hierarchical DRF sorter (Mesos' DRFSorter): orders clients (roles, or frameworks within a role) by
// weighted dominant share, then by allocation count, then by path. Clients are paths (`a/b/c`) in a tree;
// internal nodes carry the sum of their descendants' allocations, and ordering happens among siblings,
// recursively, so `sort()` is the pre-order list of active leaves. A client that is also an ancestor of
// another client (`a` and `a/b`) lives in a virtual leaf named "." under the internal node `a`.
// Kept sorted incrementally: an allocation repositions only the touched nodes; a change of totals or
// weights marks the tree dirty and the next sort() recomputes everything. Pure.
import type { Quantities } from './resources.js';

export interface SorterOptions {
  /** Resource names ignored when computing shares (Mesos `--fair_sharing_excluded_resource_names`). */
  readonly excludedNames?: readonly string[];
  /** Treat `/` in client names as hierarchy (roles: yes; framework ids: no). Default true. */
  readonly hierarchical?: boolean;
}

interface Node {
  readonly name: string;
  readonly path: string;
  kind: 'leaf' | 'internal';
  virtual: boolean;
  active: boolean;
  parent: Node | undefined;
  children: Node[];
  alloc: Map<string, number>;
  count: number;
  share: number;
}

const mkNode = (name: string, path: string, parent: Node | undefined, kind: Node['kind']): Node =>
  ({ name, path, kind, virtual: false, active: false, parent, children: [], alloc: new Map(), count: 0, share: 0 });

export class DRFSorter {
  private readonly root = mkNode('', '', undefined, 'internal');
  private readonly clients = new Map<string, Node>();
  private readonly weights = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private readonly excluded: ReadonlySet<string>;
  private readonly hierarchical: boolean;
  private dirty = false;
  /** Last sort() result; patched in place while the tree is flat and nobody holds it, else copied first. */
  private cache: string[] | undefined;
  private cacheShared = false;
  private internalCount = 0;

  constructor(opts: SorterOptions = {}) {
    this.excluded = new Set(opts.excludedNames ?? []);
    this.hierarchical = opts.hierarchical ?? true;
  }

  get size(): number { return this.clients.size; }
  contains(client: string): boolean { return this.clients.has(client); }
  isActive(client: string): boolean { return this.clients.get(client)?.active ?? false; }

  /** Add a client (inactive unless `active`); no-op if present. */
  add(client: string, active = false): void {
    if (this.clients.has(client)) { if (active) this.activate(client); return; }
    const parts = this.hierarchical ? client.split('/') : [client];
    let cur = this.root;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] ?? '';
      const last = i === parts.length - 1;
      let child = cur.children.find((c) => c.name === name && !c.virtual);
      if (last) {
        if (child) { // an internal node with this path exists: the client becomes its virtual leaf
          const v = mkNode('.', child.path, child, 'leaf');
          v.virtual = true; child.children.push(v); cur = v;
        } else { child = mkNode(name, cur === this.root ? name : `${cur.path}/${name}`, cur, 'leaf'); cur.children.push(child); cur = child; }
        break;
      }
      if (!child) { child = mkNode(name, cur === this.root ? name : `${cur.path}/${name}`, cur, 'internal'); cur.children.push(child); this.internalCount++; }
      else if (child.kind === 'leaf') this.toInternal(child);
      cur = child;
    }
    this.clients.set(client, cur);
    cur.active = active;
    this.dirty = true;
  }

  /** A leaf that gains descendants keeps its own allocation in a new virtual "." child. */
  private toInternal(node: Node): void {
    const v = mkNode('.', node.path, node, 'leaf');
    v.virtual = true; v.active = node.active; v.alloc = new Map(node.alloc); v.count = node.count;
    node.kind = 'internal'; node.active = false; node.children = [v]; this.internalCount++;
    this.clients.set(node.path, v);
  }

  /** Remove a client; its remaining allocation is taken out of its ancestors. */
  remove(client: string): void {
    const node = this.clients.get(client);
    if (!node) return;
    this.clients.delete(client);
    for (let a = node.parent; a && a !== this.root; a = a.parent) for (const [n, v] of node.alloc) a.alloc.set(n, (a.alloc.get(n) ?? 0) - v);
    let cur: Node | undefined = node;
    while (cur && cur !== this.root) {
      const parent: Node | undefined = cur.parent;
      if (cur === node || (cur.kind === 'internal' && cur.children.length === 0)) {
        if (cur !== node) this.internalCount--;
        if (parent) parent.children = parent.children.filter((c) => c !== cur);
      } else break;
      cur = parent;
    }
    // Collapse an internal node left with only its virtual leaf back into a plain leaf.
    if (cur && cur !== this.root && cur.kind === 'internal' && cur.children.length === 1 && cur.children[0]?.virtual) {
      const v = cur.children[0];
      cur.kind = 'leaf'; cur.children = []; cur.active = v.active; cur.alloc = v.alloc; cur.count = v.count; this.internalCount--;
      this.clients.set(cur.path, cur);
    }
    this.dirty = true;
  }

  activate(client: string): void { this.setActive(client, true); }
  deactivate(client: string): void { this.setActive(client, false); }
  private setActive(client: string, active: boolean): void {
    const n = this.clients.get(client);
    if (!n || n.active === active) return;
    n.active = active;
    this.cache = undefined;
    if (!this.dirty && n.parent) this.reposition(n);
  }

  /** Set the weight of a path (role); it applies to the node at that path. Default 1. */
  updateWeight(path: string, weight: number): void { this.weights.set(path, weight); this.dirty = true; }
  weight(path: string): number { return this.weights.get(path) ?? 1; }

  addTotal(q: Quantities): void { for (const [n, v] of q) this.totals.set(n, (this.totals.get(n) ?? 0) + v); this.dirty = true; }
  removeTotal(q: Quantities): void { for (const [n, v] of q) this.totals.set(n, (this.totals.get(n) ?? 0) - v); this.dirty = true; }
  total(): Quantities { return this.totals; }

  /** Record an allocation (thousandths) to a client; bumps the allocation count of it and its ancestors. */
  allocated(client: string, q: Quantities): void { this.change(client, q, 1); }
  /** Undo an allocation; counts are never decremented. */
  unallocated(client: string, q: Quantities): void { this.change(client, q, -1); }

  private change(client: string, q: Quantities, sign: 1 | -1): void {
    const leaf = this.clients.get(client);
    if (!leaf) return;
    for (let n: Node | undefined = leaf; n && n !== this.root; n = n.parent) {
      for (const [name, v] of q) n.alloc.set(name, Math.max(0, (n.alloc.get(name) ?? 0) + sign * v));
      if (sign > 0) n.count++;
      if (!this.dirty) { n.share = this.computeShare(n); this.reposition(n); }
    }
  }

  allocation(client: string): Quantities { return this.clients.get(client)?.alloc ?? new Map(); }
  count(client: string): number { return this.clients.get(client)?.count ?? 0; }
  share(client: string): number { const n = this.clients.get(client); return n ? this.computeShare(n) : 0; }

  /** Active clients, ascending (weighted dominant share, allocation count, path), hierarchy-aware. */
  sort(): readonly string[] {
    if (this.dirty) { this.recompute(this.root); this.dirty = false; this.cache = undefined; }
    if (!this.cache) { const out: string[] = []; this.collect(this.root, out); this.cache = out; }
    this.cacheShared = true;
    return this.cache;
  }

  /** Like sort() but without the snapshot guarantee: the array is patched in place by the next
   * allocation. The allocation cycle uses it and copies it only when it goes on iterating after one. */
  sortLive(): readonly string[] {
    const order = this.sort();
    this.cacheShared = false;
    return order;
  }

  private computeShare(n: Node): number {
    let share = 0;
    for (const [name, total] of this.totals) {
      if (total <= 0 || this.excluded.has(name)) continue;
      const s = (n.alloc.get(name) ?? 0) / total;
      if (s > share) share = s;
    }
    const w = n.virtual ? 1 : this.weight(n.path);
    return share / w;
  }

  private recompute(n: Node): void {
    for (const c of n.children) { c.share = this.computeShare(c); if (c.kind === 'internal') this.recompute(c); }
    n.children.sort(compare);
  }

  /** Move a node to its place among its (sorted) siblings and patch the cached order the same way.
   * (splice is V8's fast path here; copyWithin and hand-written shifts measured slower.) */
  private reposition(n: Node): void {
    const sibs = n.parent?.children;
    if (!sibs) return;
    const i = sibs.indexOf(n);
    if (i < 0) return;
    const before = sibs[i - 1], after = sibs[i + 1];
    if ((!before || compare(before, n) < 0) && (!after || compare(n, after) < 0)) return; // still in place
    sibs.splice(i, 1);
    let lo = 0, hi = sibs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (compare(sibs[mid] as Node, n) < 0) lo = mid + 1; else hi = mid; }
    sibs.splice(lo, 0, n);
    if (!this.cache) return;
    // Flat tree: the active leaves are a prefix of the root's children, in the same order as the cache.
    if (this.internalCount > 0 || n.parent !== this.root) { this.cache = undefined; return; }
    if (!n.active) return;
    if (this.cacheShared) { this.cache = this.cache.slice(); this.cacheShared = false; }
    this.cache.splice(i, 1);
    this.cache.splice(lo, 0, n.path);
  }

  private collect(n: Node, out: string[]): void {
    for (const c of n.children) {
      if (c.kind === 'internal') this.collect(c, out);
      else if (c.active) out.push(c.virtual ? c.path : (this.hierarchical ? c.path : c.name));
    }
  }
}

/** Inactive leaves sink to the end; then share, allocation count, name. */
function compare(a: Node, b: Node): number {
  const ia = a.kind === 'leaf' && !a.active, ib = b.kind === 'leaf' && !b.active;
  if (ia !== ib) return ia ? 1 : -1;
  if (a.share !== b.share) return a.share < b.share ? -1 : 1;
  if (a.count !== b.count) return a.count - b.count;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
