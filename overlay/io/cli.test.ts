// The CLI contract other tooling relies on: `mesonet overlay leases` and `mesonet-cni` VERSION, run
// as the real binaries.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../test/helpers/netns.js';

function run(bin: string, args: string[], input = '', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const c = execFile(process.execPath, [resolve(repoRoot, bin), ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (e, stdout, stderr) =>
      done({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    c.stdin?.end(input);
  });
}

t.test('mesonet overlay leases: DC/OS defaults and exhaustion', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mnovcli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'agents.json'), JSON.stringify({ agents: [{ id: 'S0', ip: '10.0.0.1' }, { id: 'S1', ip: '10.0.0.2' }] }));
  const r = await run('bin/mesonet.js', ['overlay', 'leases', '--agents', join(dir, 'agents.json')]);
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout), { agents: [
    { id: 'S0', ip: '10.0.0.1', subnet: '9.0.0.0/24', mDcos: '9.0.0.0/25', dDcos: '9.0.0.128/25', vtepIp: '44.128.0.1', vtepMac: '70:b3:d5:80:00:01' },
    { id: 'S1', ip: '10.0.0.2', subnet: '9.0.1.0/24', mDcos: '9.0.1.0/25', dDcos: '9.0.1.128/25', vtepIp: '44.128.0.2', vtepMac: '70:b3:d5:80:00:02' },
  ] });
  await writeFile(join(dir, 'small.json'), JSON.stringify({ network: { vtep_subnet: '198.18.16.0/20', overlays: [{ name: 'lab', subnet: '198.19.0.0/24', prefix: 24 }] } }));
  const ex = await run('bin/mesonet.js', ['overlay', 'leases', '--agents', join(dir, 'agents.json'), '--config', join(dir, 'small.json')]);
  t.equal(ex.code, 1);
  const out = JSON.parse(ex.stdout) as { agents: Record<string, unknown>[] };
  t.equal(out.agents[0]?.subnet, '198.19.0.0/24');
  t.same(out.agents[1], { id: 'S1', ip: '10.0.0.2', error: { code: 'subnet-exhausted', message: 'no free /24 left in 198.19.0.0/24 (1 leased) for agent S1' } });
  const bad = await run('bin/mesonet.js', ['overlay', 'leases', '--agents', join(dir, 'agents.json'), '--config', join(dir, 'agents.json')]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /agents: unknown key/);
});

t.test('mesonet-cni VERSION and a coded error for a bad command', async (t) => {
  const v = await run('bin/mesonet-cni.js', [], '{"cniVersion":"1.0.0"}', { CNI_COMMAND: 'VERSION' });
  t.equal(v.code, 0);
  t.same(JSON.parse(v.stdout), { cniVersion: '1.0.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] });
  const e = await run('bin/mesonet-cni.js', [], '{"cniVersion":"1.0.0"}', { CNI_COMMAND: 'FROB' });
  t.equal(e.code, 1);
  t.equal(JSON.parse(e.stdout).code, 4);
});
