import t from 'tap';
import { exec } from './exec.js';
import { isCodedError } from '../kernel/errors.js';

t.test('captures stdout, stderr and exit code', async (t) => {
  const r = await exec('sh', ['-c', 'echo out; echo err >&2; exit 3']);
  t.same({ code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }, { code: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
});

t.test('stdin input', async (t) => {
  const r = await exec('cat', [], { input: 'hello\nworld' });
  t.equal(r.code, 0);
  t.equal(r.stdout, 'hello\nworld');
  const ignored = await exec('true', [], { input: 'x'.repeat(1 << 20) });
  t.equal(ignored.code, 0, 'a child that ignores stdin is fine');
});

t.test('check: non-zero exit becomes a CodedError', async (t) => {
  await t.rejects(exec('sh', ['-c', 'echo boom >&2; exit 2'], { check: true }), { code: 'E_EXEC_STATUS', message: /exited with 2: boom/ });
  const ok = await exec('sh', ['-c', 'exit 0'], { check: true });
  t.equal(ok.code, 0);
});

t.test('timeout kills the child', async (t) => {
  const start = Date.now();
  const r = await exec('sleep', ['5'], { timeoutMs: 100 });
  t.ok(r.timedOut);
  t.equal(r.code, null);
  t.equal(r.signal, 'SIGTERM');
  t.ok(Date.now() - start < 3000, 'returned promptly');
  await t.rejects(exec('sleep', ['5'], { timeoutMs: 50, check: true }), { code: 'E_EXEC_TIMEOUT' });
  const stubborn = await exec('sh', ['-c', 'trap "" TERM; exec sleep 5'], { timeoutMs: 100, killGraceMs: 100 });
  t.equal(stubborn.signal, 'SIGKILL', 'SIGKILL after the grace period');
});

t.test('missing program is E_EXEC_SPAWN', async (t) => {
  try {
    await exec('/nonexistent/mesonet-nope', []);
    t.fail('should throw');
  } catch (e) {
    t.ok(isCodedError(e));
    t.match(e, { code: 'E_EXEC_SPAWN', details: { errno: 'ENOENT' } });
  }
});

t.test('a grandchild holding the pipes does not hang exec', async (t) => {
  const start = Date.now();
  const r = await exec('sh', ['-c', 'echo parent; (sleep 3 &) ; exit 0']);
  t.equal(r.code, 0);
  t.equal(r.stdout, 'parent\n');
  t.ok(Date.now() - start < 2500, `returned after ${Date.now() - start} ms`);
});

t.test('maxBuffer truncates', async (t) => {
  const r = await exec('sh', ['-c', 'head -c 10000 /dev/zero | tr "\\0" a'], { maxBuffer: 100 });
  t.equal(r.stdout.length, 100);
  t.ok(r.truncated);
});
