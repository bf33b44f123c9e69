// mesonet-cni: the CNI 1.0 plugin entry. Reads the network configuration from stdin and the CNI_*
// variables from the environment, prints the result or the spec's error JSON on stdout; the
// launcher (bin/mesonet-cni.js) sets the exit code. Logs go to stderr only.
import { cniMain } from '../../overlay/index.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(): Promise<number> {
  const env: Record<string, string | undefined> = {};
  for (const k of ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_ARGS', 'CNI_PATH']) env[k] = process.env[k];
  const out = await cniMain(env, await readStdin());
  if (out.stdout) process.stdout.write(out.stdout);
  return out.exitCode;
}
