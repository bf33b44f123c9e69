import { readFile } from 'node:fs/promises';
import { formatProblems } from '../kernel/errors.js';
import { type Command, group, parseFlags, intFlag, UsageError } from './cli.js';
import { parseScenario, simulate } from '../../scheduler/index.js';

const simulateCmd: Command = {
  name: 'simulate',
  summary: 'run allocation cycles over a scenario and print what each framework got',
  usage: [
    'usage: mesonet allocator simulate --scenario FILE [--seed N]',
    '',
    'Scenario JSON: agents [{id, resources (Mesos text form), reserved?}], roles {name: {weight?,',
    'guarantee?, limit?}}, frameworks [{id, role, task (resources), policy: one-task|hold}], maxCycles?.',
    'Runs Hierarchical DRF allocation cycles until one launches nothing and prints',
    '{"tasks":{fw:n},"agents":{fw:[agentIds]},"cycles":n}.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseFlags(argv, { scenario: { type: 'string' }, seed: { type: 'string' } });
    if (!values.scenario) throw new UsageError('--scenario FILE is required');
    const seed = intFlag('seed', values.seed, 1, 0);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(values.scenario, 'utf8'));
    } catch (e) {
      throw new UsageError(`--scenario ${values.scenario}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const s = parseScenario(json);
    if (!s.ok) throw new UsageError(`invalid scenario:\n${formatProblems(s.error)}`);
    process.stdout.write(JSON.stringify(simulate(s.value, seed)) + '\n');
    return 0;
  },
};

export const command: Command = group('allocator', 'Hierarchical DRF allocator tools (simulate)', [simulateCmd]);
