// zdd.py's decision helpers against marathon-lb's unit data (unit/zdd.json + fixtures/).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { conformanceDir } from './testing/conformance.js';
import { appListeners, parseHaproxyStats, prepareDeploy, preKillHookArgv, scaleNewAppInstances, svnamesFromTasks, taskIdsIn } from './zdd.js';

type Json = Record<string, unknown>;
const read = (p: string): string => readFileSync(resolve(conformanceDir, p), 'utf8');
const data = JSON.parse(read('unit/zdd.json')) as { cases: Json[] };
const args = (a: Json = {}) => ({
  initialInstances: Number(a.initial_instances ?? 1), newInstances: Number(a.new_instances ?? 0),
  completeCur: Boolean(a.complete_cur), completePrev: Boolean(a.complete_prev),
});
const ipOf = (task: Json): string | undefined => String(task.host); // fixture hosts are IP literals

t.test('unit/zdd.json', async (t) => {
  t.equal(data.cases.length, 13);
  const stats = parseHaproxyStats(read('fixtures/haproxy_stats.csv'));
  for (const c of data.cases) {
    const name = String(c.source).split('::')[1]!;
    if (c.function === 'scale_new_app_instances(args, new_app, old_app)') {
      t.equal(scaleNewAppInstances(args(c.args as Json), c.new_app as Json, c.old_app as Json), c.expected_scale_to, name);
    } else if (c.fixture_apps) {
      const app = (JSON.parse(read(`fixtures/${String(c.fixture_apps)}`)) as { apps: Json[] }).apps[0]!;
      const listeners = stats; // the upstream test hands every stats row to find_drain*_task_ids
      const n = Number(c.haproxy_instance_count);
      const drained = taskIdsIn('drained', app, listeners, n, ipOf);
      const draining = taskIdsIn('draining', app, listeners, n, ipOf);
      t.same(drained, c.reference_drained, `${name}: drained`);
      t.same(draining, c.reference_draining, `${name}: draining`);
      for (const id of c.expected_drained_excludes as string[]) t.notOk(drained.includes(id));
      for (const id of c.expected_draining_excludes as string[]) t.notOk(draining.includes(id));
      t.same(svnamesFromTasks(app.tasks as Json[], ipOf), c.reference_svnames, `${name}: svnames`);
    } else if (c.expected_rows) {
      for (const [i, row] of Object.entries(c.expected_rows as Record<string, Json>)) t.match(stats[Number(i)], row, `${name}: row ${i}`);
    } else if (c.app && c.expected) {
      const l = appListeners(c.app as Json, stats);
      const exp = c.expected as { count: number; first_pxname: string };
      t.equal(l.length, exp.count, name);
      t.equal(l[0]?.pxname, exp.first_pxname, name);
    } else if (c.function === 'execute_pre_kill_hook') {
      t.same(preKillHookArgv(String(c.pre_kill_hook), c.old_app, c.tasks_to_kill as string[], c.new_app), c.expected_argv, name);
    } else if (String(c.function).startsWith('do_zdd')) {
      const fixture = String(c.marathon_get_v2_apps_response_fixture);
      const running = (JSON.parse(read(`fixtures/${fixture}`)) as { apps: Json[] }).apps;
      const a = c.args as Json;
      const jsonFile = String(a.json).split(' ')[0]!;
      const app = JSON.parse(read(`fixtures/${jsonFile}`)) as Json;
      const group = (app.labels as Record<string, string>).HAPROXY_DEPLOYMENT_GROUP;
      const previous = running.filter((x) => (x.labels as Record<string, string> | undefined)?.HAPROXY_DEPLOYMENT_GROUP === group);
      const r = prepareDeploy(args(a), previous, app, '2024-01-01T00:00:00');
      if (c.expected_error) {
        t.notOk(r.ok, `${name}: error`);
        if (!r.ok) t.match(r.error, new RegExp(String(c.expected_error)));
      } else {
        t.ok(r.ok, name);
        if (r.ok) {
          const got = structuredClone(r.value) as Json;
          (got.labels as Record<string, string>).HAPROXY_DEPLOYMENT_STARTED_AT = '';
          t.same(got, c.expected_app_definition, `${name}: app definition`);
        }
      }
    } else t.fail(`unhandled case ${name}`);
  }
});
