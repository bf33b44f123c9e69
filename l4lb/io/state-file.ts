// A snapshot source for tests and offline use: a Mesos `/master/state` JSON file, decoded by the
// kernel codec and re-read whenever it changes (polled stat; an atomic rename is seen as a change).
// A file that cannot be read or parsed is reported and the last good snapshot is kept.
import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Problem } from '../../src/kernel/errors.js';
import type { Snapshot } from '../../src/kernel/snapshot.js';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { l4lbError, L4LB_ERRORS } from '../errors.js';

/** Read and decode a state file; throws L4LB_SOURCE when it cannot be read or is not JSON. */
export async function readStateFile(path: string): Promise<{ snapshot: Snapshot; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw l4lbError(L4LB_ERRORS.SOURCE, `cannot read state file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw l4lbError(L4LB_ERRORS.SOURCE, `state file ${path} is not JSON: ${(e as Error).message}`);
  }
  return decodeMasterState(json);
}

export interface StateFileWatch {
  stop(): void;
}

/** Feed `onSnapshot` now and after every change of `path`; `onError` gets unreadable versions. */
export function watchStateFile(path: string, onSnapshot: (s: Snapshot, problems: Problem[]) => void, onError: (e: unknown) => void, intervalMs = 200): StateFileWatch {
  const load = () => readStateFile(path).then((r) => onSnapshot(r.snapshot, r.problems), onError);
  void load();
  const listener = (cur: Stats, prev: Stats) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino || cur.size !== prev.size) void load();
  };
  watchFile(path, { interval: intervalMs, persistent: true }, listener);
  return { stop: () => unwatchFile(path, listener) };
}
