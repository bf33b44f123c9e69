// Test fixtures: the mesos-dns conformance data under ../shared/conformance/mesos-dns, located
// relative to this compiled file (dist/dns/testing/fixtures.js → repo root → ../shared).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import type { Snapshot } from '../../src/kernel/snapshot.js';

export const CONFORMANCE_DIR = fileURLToPath(new URL('../../../../shared/conformance/mesos-dns/', import.meta.url));

const cache = new Map<string, unknown>();
export function loadJson<T = any>(file: string): T {
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(CONFORMANCE_DIR + file, 'utf8')));
  return structuredClone(cache.get(file)) as T;
}

export const expectedJson = () => loadJson('expected.json');
export const generatedJson = () => loadJson('generated-records.json');

/** fake.json decoded, optionally with its `leader` replaced first (as TestInsertState does). */
export function fakeSnapshot(leaderOverride?: string): Snapshot {
  const doc = loadJson<Record<string, unknown>>('fake.json');
  if (leaderOverride !== undefined) doc.leader = leaderOverride;
  const { snapshot, problems } = decodeMasterState(doc);
  if (problems.length) throw new Error(`fake.json decoded with problems: ${JSON.stringify(problems)}`);
  return snapshot;
}

/** The host resolver the upstream capture saw: "localhost" → 127.0.0.1 only. */
export const fixtureResolve = (host: string): string[] => (host === 'localhost' ? ['127.0.0.1'] : []);
