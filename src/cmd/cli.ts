// The CLI's shared shape: every subcommand is a Command in its own file under src/cmd/, listed in
// mesonet.ts. Flag parsing is node:util parseArgs in strict mode; a bad flag is a UsageError, which
// the dispatcher turns into exit 2 with a one-line reason and the usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  readonly name: string;
  /** One line for `mesonet --help`. */
  readonly summary: string;
  /** Full usage text for `mesonet <name> --help` (first line: `usage: mesonet <name> …`). */
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse flags strictly; unknown flags, missing values and stray positionals become UsageError. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
}

/** Parse a flag value as an integer in [min, max]. */
export function intFlag(name: string, value: string | undefined, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** A command made of sub-subcommands (e.g. `mesonet dns records|serve`). */
export function group(name: string, summary: string, children: readonly Command[]): Command {
  const usage = [
    `usage: mesonet ${name} <command> [flags]`,
    '',
    summary,
    '',
    'commands:',
    ...children.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    `Run 'mesonet ${name} <command> --help' for a command's flags.`,
  ].join('\n');
  return {
    name,
    summary,
    usage,
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
        process.stdout.write(usage + '\n');
        return sub === undefined ? 2 : 0;
      }
      const child = children.find((c) => c.name === sub);
      if (!child) throw new UsageError(`unknown command '${name} ${sub}'`);
      return runCommand(child, rest);
    },
  };
}

/** Run one command: `--help` prints usage; a UsageError prints one line plus usage and returns 2. */
export async function runCommand(cmd: Command, argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mesonet: ${e.message}\n${cmd.usage}\n`);
      return 2;
    }
    throw e;
  }
}

/** Placeholder for a command whose room has not landed yet: says so and exits 1. */
export function notYet(name: string, summary: string): Command {
  return {
    name,
    summary,
    usage: `usage: mesonet ${name} …\n\n${summary}\n(not implemented yet)`,
    async run() {
      process.stderr.write(`mesonet ${name}: not implemented yet\n`);
      return 1;
    },
  };
}

/** Run a daemon until SIGTERM/SIGINT, then close it cleanly; returns the exit code. */
export async function untilSignal(close: () => Promise<void>): Promise<number> {
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await close();
  return 0;
}
