// The state store behind the master and Marathon: namespaces of key → JSON value records. Reads are
// synchronous from memory (a store loads everything when opened); writes return a promise that
// resolves once the record is durable. The file store (io/file-store.ts) is the embedded default;
// an etcd store can implement the same interface (load at open, watch, put/delete per key).
// Room-owned records (e.g. overlay leases) use their own namespace: `store.records('overlay-leases')`.
// Pure: the in-memory implementation here is also the fake used by tests.

export interface Records {
  get(key: string): unknown;
  /** All records of the namespace, in key order. */
  list(): ReadonlyArray<readonly [string, unknown]>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Store {
  records(namespace: string): Records;
  /** Resolves when every write issued so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const NAMESPACE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export function validNamespace(ns: string): boolean {
  return NAMESPACE.test(ns);
}

/** Deep copy through JSON so callers never share mutable state with the store. */
export function jsonCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * In-memory namespaces with a write hook: `onChange(ns, snapshot)` is called after each change with
 * the namespace's full contents (the file store writes that snapshot atomically).
 */
export class MemoryStore implements Store {
  protected readonly data = new Map<string, Map<string, unknown>>();
  private pending: Promise<unknown>[] = [];

  constructor(
    initial: Record<string, Record<string, unknown>> = {},
    private readonly onChange: (ns: string, contents: Record<string, unknown>) => Promise<void> = async () => {},
  ) {
    for (const [ns, recs] of Object.entries(initial)) {
      if (!validNamespace(ns)) continue;
      this.data.set(ns, new Map(Object.entries(recs)));
    }
  }

  records(namespace: string): Records {
    if (!validNamespace(namespace)) throw new Error(`invalid store namespace '${namespace}'`);
    const ns = namespace;
    const map = () => {
      let m = this.data.get(ns);
      if (!m) this.data.set(ns, (m = new Map()));
      return m;
    };
    const write = (): Promise<void> => {
      const contents = Object.fromEntries([...map().entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const p = this.onChange(ns, contents);
      this.pending.push(p);
      return p;
    };
    return {
      get: (key) => jsonCopy(map().get(key)),
      list: () => [...map().entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, jsonCopy(v)] as const),
      put: (key, value) => {
        map().set(key, jsonCopy(value));
        return write();
      },
      delete: (key) => {
        if (!map().delete(key)) return Promise.resolve();
        return write();
      },
    };
  }

  async flush(): Promise<void> {
    while (this.pending.length) {
      const p = this.pending;
      this.pending = [];
      await Promise.allSettled(p);
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
