// The embedded store: one JSON file per namespace under <dir>, `<namespace>.json` = {key: value},
// replaced atomically on every change. Writes of one namespace are serialized and coalesced: while a
// write is in flight, later changes wait and only the newest contents are written next.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryStore, validNamespace, type Store } from '../store.js';
import { writeFileAtomic } from './atomic.js';
import { schedError } from '../errors.js';

interface Lane {
  running: Promise<void> | undefined;
  next: Record<string, unknown> | undefined;
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

/** Open (or create) a file store in `dir`, loading every namespace file found there. */
export async function openFileStore(dir: string): Promise<Store> {
  const initial: Record<string, Record<string, unknown>> = {};
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw schedError('SCHED_ERR_STORE', `cannot read store ${dir}: ${String(e)}`);
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const ns = name.slice(0, -5);
    if (!validNamespace(ns)) continue;
    const text = await readFile(join(dir, name), 'utf8');
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) initial[ns] = v as Record<string, unknown>;
    } catch (e) {
      throw schedError('SCHED_ERR_STORE', `store file ${join(dir, name)} is not valid JSON: ${String(e)}`);
    }
  }
  const lanes = new Map<string, Lane>();
  const write = (ns: string, contents: Record<string, unknown>): Promise<void> =>
    new Promise((resolve, reject) => {
      let lane = lanes.get(ns);
      if (!lane) lanes.set(ns, (lane = { running: undefined, next: undefined, waiters: [] }));
      lane.next = contents;
      lane.waiters.push({ resolve, reject });
      if (!lane.running) pump(ns, lane);
    });
  const pump = (ns: string, lane: Lane): void => {
    const contents = lane.next;
    const waiters = lane.waiters;
    lane.next = undefined;
    lane.waiters = [];
    if (contents === undefined) {
      lane.running = undefined;
      return;
    }
    lane.running = writeFileAtomic(join(dir, `${ns}.json`), JSON.stringify(contents, null, 1) + '\n').then(
      () => waiters.forEach((w) => w.resolve()),
      (e) => waiters.forEach((w) => w.reject(schedError('SCHED_ERR_STORE', `cannot write ${ns}: ${String(e)}`))),
    ).then(() => pump(ns, lane));
  };
  return new MemoryStore(initial, write);
}
