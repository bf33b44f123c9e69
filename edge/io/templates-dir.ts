// Reads marathon-lb's templates directory: every file named HAPROXY_<NAME> becomes that template's
// override (env still wins, see templates.ts). A missing directory is simply no overrides.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readTemplateFiles(dir: string): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const n of names) if (n.startsWith('HAPROXY_')) {
    try { out[n] = readFileSync(join(dir, n), 'utf8'); } catch { /* unreadable: ignored */ }
  }
  return out;
}
