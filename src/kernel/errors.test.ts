import t from 'tap';
import { CodedError, formatProblems, ok, err, isCodedError } from './errors.js';

t.test('CodedError carries code and frozen details', async (t) => {
  const e = new CodedError('E_X', 'boom', { a: 1 });
  t.equal(e.code, 'E_X');
  t.equal(e.message, 'boom');
  t.ok(isCodedError(e));
  t.notOk(isCodedError(new Error('plain')));
  t.same(e.toJSON(), { code: 'E_X', message: 'boom', details: { a: 1 } });
  t.ok(Object.isFrozen(e.details));
});

t.test('results and problem formatting', async (t) => {
  t.same(ok(3), { ok: true, value: 3 });
  t.same(err('no'), { ok: false, error: 'no' });
  t.equal(formatProblems([{ path: 'a.b', message: 'bad' }, { path: '', message: 'worse' }]), 'a.b: bad\nworse');
});
