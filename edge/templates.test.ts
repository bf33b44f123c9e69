// Template resolution: env beats file beats default; modern equivalents; global option lines.
import t from 'tap';
import { DEFAULTS, globalDefaultOptions, GLOBAL_TEMPLATES, loadTemplates, MODERN, PORT_TEMPLATES } from './templates.js';

t.test('53 named templates', async (t) => {
  t.equal(GLOBAL_TEMPLATES.length + PORT_TEMPLATES.length, 53);
  t.equal(Object.keys(loadTemplates()).length, 53);
});

t.test('env beats file beats default; literal \\n in env is a newline', async (t) => {
  const T = loadTemplates({ env: { HAPROXY_BACKEND_HEAD: 'a\\nb' }, files: { HAPROXY_BACKEND_HEAD: 'file', HAPROXY_FRONTEND_HEAD: 'ff' } });
  t.equal(T.BACKEND_HEAD, 'a\nb');
  t.equal(T.FRONTEND_HEAD, 'ff');
  t.equal(T.USERLIST_HEAD, DEFAULTS.USERLIST_HEAD);
  t.equal(loadTemplates({ env: { HAPROXY_BACKEND_HEAD: '' } }).BACKEND_HEAD, DEFAULTS.BACKEND_HEAD, 'empty env is unset');
});

t.test('modern by default, marathon-lb text on request', async (t) => {
  for (const name of Object.keys(MODERN) as (keyof typeof MODERN)[]) {
    t.equal(loadTemplates()[name], MODERN[name]);
    t.match(loadTemplates({ modern: false })[name], /reqirep|rspirep|rspadd/);
  }
});

t.test('global default options: stripped, de-duplicated, sorted', async (t) => {
  t.equal(globalDefaultOptions(undefined), '  option            dontlognull\n  option            http-server-close\n  option            redispatch\n');
  t.equal(globalDefaultOptions('tcplog, httplog,tcplog'), '  option            httplog\n  option            tcplog\n');
});
