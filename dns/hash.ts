// The short task hash of mesos-dns canonical names: zbase32(sha1(task id)) cut to 5 characters
// ("test" → "iffe9"), and the agent-id tail (`…-S3` → `s3`). Pure (hashing is deterministic).
import { hash } from 'node:crypto';

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** z-base-32 of bytes, 5 bits at a time from the most significant bit, no padding. */
export function zbase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ZBASE32[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * mesos-dns `hashString`: the first 5 characters of zbase32(sha1(s)). Five characters are 25 bits,
 * so only the first 4 digest bytes are encoded (one-shot hash: no Hash object per task).
 */
export function taskHash(s: string): string {
  return zbase32(hash('sha1', s, 'buffer').subarray(0, 4)).slice(0, 5);
}

/** Last '-'-separated field of an agent id, lower-cased (mesos-dns `slaveIDTail`). */
export function agentTail(agentId: string): string {
  const i = agentId.lastIndexOf('-');
  return agentId.slice(i + 1).toLowerCase();
}

// The generators of one zone version (records.ts, dcos-records.ts) both need each task's hash:
// remembered per task object, so it is computed once per snapshot (and forgotten with it).
const memo = new WeakMap<object, string>();

/** taskHash(task.id), computed once per task object. */
export function taskHashOf(task: { readonly id: string }): string {
  let h = memo.get(task);
  if (h === undefined) memo.set(task, (h = taskHash(task.id)));
  return h;
}
