import { tmpdir } from 'node:os';
import { type Command, parseFlags, intFlag, UsageError } from './cli.js';
import { prefixFlag } from './lab/common.js';
import { labPlan } from './lab/plan.js';
import { preflight } from './lab/preflight.js';
import { Progress, poll } from './lab/progress.js';
import { teardown, buildTopology, writeConfigs, startAll, planDaemons } from './lab/build.js';
import { sampleApp, deploy, runningTasks } from './lab/app.js';
import { checkDns, checkVip, checkOverlay, checkEdge, checkKill, type Check } from './lab/checks.js';
import { readFileSync } from 'node:fs';
import { runLocal } from './lab/local.js';

const usage = [
  'usage: mesonet up [--agents N] [--prefix P] [--app FILE] [--local] [--keep-going]',
  '',
  'Builds the namespace lab (one namespace per master, agent, public agent and client on a bridge',
  'underlay, addresses from 198.18.0.0/15), starts every daemon where it belongs, deploys a sample app',
  '(3 instances on the overlay with a named VIP and HAPROXY_GROUP=external) and prints a checklist.',
  "The lab keeps running; 'mesonet status' shows it, 'mesonet exec <node> -- cmd' enters it,",
  "'mesonet down' removes it.",
  '',
  'flags:',
  '  --agents N     private agents (default 3, 1-8)',
  '  --prefix P     prefix of every namespace and object (default mnlab)',
  '  --app FILE     Marathon app JSON to deploy instead of the sample app (checks assume the sample)',
  '  --local        no root needed: master, agent, marathon, dns and edge on loopback (no overlay, no l4lb)',
  '',
  'exit status: 0 when every check passed, 1 otherwise, 2 on bad flags.',
].join('\n');

export const command: Command = {
  name: 'up',
  summary: 'build the namespace lab, start the whole plane, print an end-to-end checklist',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      agents: { type: 'string' }, prefix: { type: 'string' }, app: { type: 'string' }, local: { type: 'boolean' },
    });
    const agents = intFlag('agents', values.agents, 3, 1, 8);
    const prefix = prefixFlag(values.prefix);
    let app = sampleApp(agents);
    if (values.app) {
      try {
        app = JSON.parse(readFileSync(values.app, 'utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new UsageError(`--app ${values.app}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const progress = new Progress();
    if (values.local) return runLocal(prefix, progress);

    const problems = preflight(prefix);
    if (problems.length) {
      for (const p of problems) process.stderr.write(`mesonet up: ${p}\n`);
      return 1;
    }
    const plan = labPlan(prefix, agents, tmpdir());
    progress.step(`removing any previous lab '${prefix}'`);
    await teardown(plan);
    progress.step(`building ${plan.nodes.length} namespaces (${plan.nodes.map((n) => `${n.name}=${n.ns} ${n.ip}`).join(', ')})`);
    buildTopology(plan);
    writeConfigs(plan);
    const daemons = planDaemons(plan);
    // Everything starts at once: agents, l4lb, overlay agents and edge retry until the master side answers.
    progress.step('starting master (with the overlay master), marathon, dns; overlay agent, agent and l4lb on every agent; edge on the public agent');
    const failures = await startAll(plan, [...daemons.master, ...daemons.agents], progress, 20_000);
    if (failures.length) {
      for (const f of failures) process.stderr.write(`mesonet up: ${f}\n`);
      process.stderr.write(`mesonet up: logs in ${plan.dir}/logs; 'mesonet down --prefix ${prefix}' removes the lab\n`);
      return 1;
    }
    progress.step('deploying the sample app /web (3 instances, overlay, VIP /web:80, HAPROXY_GROUP=external)');
    const err = await deploy(plan, app);
    if (err) {
      process.stderr.write(`mesonet up: ${err}\n`);
      return 1;
    }
    const want = Number(app.instances ?? 1);
    const [tasks, tRun] = await poll(async () => {
      const ts = await runningTasks(plan, String(app.id ?? '/web'));
      return ts.length >= want && ts.every((t) => (t.ipAddresses?.length ?? 0) > 0) ? ts : undefined;
    }, 30_000, 100);
    if (!tasks) {
      process.stderr.write(`mesonet up: the app did not reach ${want} running instances (logs in ${plan.dir}/logs)\n`);
      return 1;
    }
    progress.step(`${tasks.length} instances running after ${tRun} ms; lab ready in ${progress.elapsed()}; checking`);
    const checks: Check[] = [
      ...(await checkDns(plan, tasks)),
      ...(await checkVip(plan, tasks)),
      ...(await checkOverlay(plan, tasks)),
      ...(await checkEdge(plan)),
      ...(await checkKill(plan, tasks)),
    ];
    for (const c of checks) progress.check(c.ok, c.what, c.figure);
    const bad = checks.filter((c) => !c.ok).length;
    progress.step(`${checks.length - bad}/${checks.length} checks passed; total ${progress.elapsed()}; logs in ${plan.dir}/logs`);
    process.stdout.write([
      '',
      'try next:',
      `  npx --no-install mesonet exec client -- dig web.marathon.mesos`,
      `  npx --no-install mesonet exec agent1 -- curl -s http://web.marathon.l4lb.thisdcos.directory/`,
      `  npx --no-install mesonet exec client -- curl -s -H 'Host: web.lab.mesonet' http://${plan.public.ip}/`,
      `  npx --no-install mesonet status${prefix === 'mnlab' ? '' : ` --prefix ${prefix}`}`,
      `  bash netns-scripts/diag.sh ${prefix}`,
      `  npx --no-install mesonet down${prefix === 'mnlab' ? '' : ` --prefix ${prefix}`}`,
      '',
    ].join('\n'));
    return bad === 0 ? 0 : 1;
  },
};
