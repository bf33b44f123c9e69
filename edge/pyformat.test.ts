// Python str.format semantics as marathon-lb's templates rely on them; Python's str() of values.
import t from 'tap';
import { pyFormat, pyRepr, pyStr } from './pyformat.js';

t.test('named fields, escapes, values', async (t) => {
  t.same(pyFormat('bind {a}:{b}', { a: '*', b: 80 }), { ok: true, value: 'bind *:80' });
  t.same(pyFormat('if !{{ ssl_fc }} host_{h}', { h: 'x' }), { ok: true, value: 'if !{ ssl_fc } host_x' });
  t.same(pyFormat('{n} {t} {f} {u}', { n: null, t: true, f: false, u: undefined }), { ok: true, value: 'None True False None' });
  t.same(pyFormat('{hc[path]} {hc[portIndex]}', { hc: { path: '/h', portIndex: 0 } }), { ok: true, value: '/h 0' });
  t.same(pyFormat('[{p:>6}|{p:<4}|{p:^5}|{s!r}]', { p: 80, s: 'x' }), { ok: true, value: "[    80|80  | 80  |'x']" });
  t.same(pyFormat('', {}), { ok: true, value: '' });
});

t.test('what Python rejects is an error value', async (t) => {
  for (const [tpl, re] of [['{missing}', /unknown template field/], ['{}', /positional/], ['{0}', /positional/], ['a { b', /single '\{'/],
    ['a } b', /single '\}'/], ['{x!z}', /conversion/], ['{x:%d}', /format spec/], ['{x[nokey]}', /has no/]] as const) {
    const r = pyFormat(tpl, { x: { a: 1 } });
    t.notOk(r.ok, tpl);
    if (!r.ok) t.match(r.error, re, tpl);
  }
});

t.test('str and repr like Python', async (t) => {
  t.equal(pyStr(2.5), '2.5');
  t.equal(pyStr(10), '10');
  t.equal(pyRepr({ path: '/', n: 1, ok: true }), "{'path': '/', 'n': 1, 'ok': True}");
  t.equal(pyRepr(['a', null]), "['a', None]");
});
