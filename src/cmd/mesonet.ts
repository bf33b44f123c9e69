// The `mesonet` dispatcher: the only place that knows every subcommand.
import { readFileSync } from 'node:fs';
import { type Command, UsageError, runCommand } from './cli.js';
import { commands } from './commands.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function usage(list: readonly Command[] = commands): string {
  return [
    'usage: mesonet <command> [flags]',
    '',
    'The networking plane of a DC/OS-style datacenter.',
    '',
    'commands:',
    ...list.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'flags:',
    '  --help      show this help (or a command\'s, after its name)',
    '  --version   print the version',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage() + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`mesonet ${version()}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`mesonet: ${name.startsWith('-') ? `unknown flag '${name}'` : `unknown command '${name}'`}\n${usage()}\n`);
    return 2;
  }
  try {
    return await runCommand(cmd, rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mesonet: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`mesonet ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
