import t from 'tap';
import {
  readConfig, ConfigReader, parseHostPort, asString, asNonEmptyString, asNumber, asBool, asEnum, asUrl, asHostPort,
  asIp, asCidr,
} from './config.js';

const DEFAULTS = Object.freeze({
  port: 8123, domain: 'mesos', ttl: 60, verbose: false, mode: 'auto' as 'auto' | 'off',
  masters: ['127.0.0.1:5050'], url: 'http://127.0.0.1:5050', net: '9.0.0.0/8',
});

function build(r: ConfigReader) {
  return {
    port: r.int('port', DEFAULTS.port, { min: 1, max: 65535 }),
    domain: r.string('domain', DEFAULTS.domain),
    ttl: r.int('ttl', DEFAULTS.ttl, { min: 0 }),
    verbose: r.bool('verbose', DEFAULTS.verbose),
    mode: r.enum('mode', ['auto', 'off'] as const, DEFAULTS.mode),
    masters: r.array('masters', asHostPort(5050), DEFAULTS.masters.map((m) => parseHostPort(m)!)),
    url: r.url('url', DEFAULTS.url),
    net: r.cidr('net', DEFAULTS.net).text,
  };
}

t.test('defaults for an empty or null config', async (t) => {
  for (const input of [{}, null, undefined, { port: null }]) {
    const r = readConfig(input, build);
    t.same(r, {
      ok: true,
      value: {
        port: 8123, domain: 'mesos', ttl: 60, verbose: false, mode: 'auto',
        masters: [{ host: '127.0.0.1', port: 5050 }], url: 'http://127.0.0.1:5050', net: '9.0.0.0/8',
      },
    }, JSON.stringify(input));
  }
});

t.test('values are read', async (t) => {
  const r = readConfig(
    { port: 53, domain: 'dcos', ttl: 0, verbose: true, mode: 'off', masters: ['m1', '[::1]:5051'], url: 'https://x:1/', net: '198.19.0.0/16' },
    build,
  );
  t.same(r, {
    ok: true,
    value: {
      port: 53, domain: 'dcos', ttl: 0, verbose: true, mode: 'off',
      masters: [{ host: 'm1', port: 5050 }, { host: '::1', port: 5051 }], url: 'https://x:1/', net: '198.19.0.0/16',
    },
  });
});

t.test('every problem is reported at once, with paths', async (t) => {
  const r = readConfig(
    { port: 70000, domain: 3, ttl: 1.5, verbose: 'yes', mode: 'on', masters: ['ok:1', 'bad host:1', 7], url: 'ftp://x', net: '9.0.0.1/8', typo: 1 },
    build,
  );
  t.equal(r.ok, false);
  if (r.ok) return;
  t.same(r.error.map((p) => p.path), ['port', 'domain', 'ttl', 'verbose', 'mode', 'masters[1]', 'masters[2]', 'url', 'net', 'typo']);
  t.match(r.error[0]!.message, /≤ 65535/);
  t.match(r.error[4]!.message, /one of auto, off/);
  t.match(r.error[8]!.message, /host bits/);
  t.equal(r.error[9]!.message, 'unknown key');
});

t.test('non-object input', async (t) => {
  const r = readConfig([1, 2], build);
  t.match(r, { ok: false, error: [{ path: '', message: /want an object/ }] });
});

t.test('case-insensitive lookup (Go JSON style) prefers exact keys', async (t) => {
  const input = { RefreshSeconds: 30, ZONEFILES: ['a'], ttl: 5, TTL: 9 };
  const r = readConfig(input, (r) => ({
    refresh: r.int('refreshSeconds', 60),
    zones: r.stringArray('zoneFiles', [] as string[]),
    ttl: r.int('ttl', 0),
  }), { caseInsensitive: true, unknownKeys: 'ignore' });
  t.same(r, { ok: true, value: { refresh: 30, zones: ['a'], ttl: 5 } });
  const strict = readConfig(input, (r) => r.int('refreshSeconds', 60));
  t.match(strict, { ok: false, error: [{ path: 'RefreshSeconds' }, { path: 'ZONEFILES' }, { path: 'ttl' }, { path: 'TTL' }] });
});

t.test('nested objects and arrays of objects', async (t) => {
  const input = { http: { port: 'x', extra: true }, vips: [{ name: 'a', port: 80 }, { name: '', port: 1 }, 5] };
  const r = readConfig(input, (r) => ({
    httpPort: r.object('http').int('port', 1),
    vips: r.objects('vips').map((v) => ({ name: v.read('name', asNonEmptyString, ''), port: v.int('port', 0) })),
    missing: r.object('missing').string('x', 'dflt'),
  }));
  t.equal(r.ok, false);
  if (r.ok) return;
  t.same(r.error.map((p) => p.path).sort(), ['http.extra', 'http.port', 'vips[1].name', 'vips[2]']);
  const ignored = readConfig({ a: { b: 1 } }, (r) => r.object('a').int('c', 2), { unknownKeys: 'ignore' });
  t.same(ignored, { ok: true, value: 2 });
  const reader = new ConfigReader({ a: { b: 1 }, c: 2 });
  reader.object('a');
  t.same(reader.unknownKeys(), ['c', 'a.b']);
});

t.test('coerceStrings for flag/env maps', async (t) => {
  const input = { port: '80', on: 'TRUE', off: '0', frac: '0.5', bad: 'x1' };
  const r = readConfig(input, (r) => ({
    port: r.int('port', 0), on: r.bool('on', false), off: r.bool('off', true), frac: r.number('frac', 0), bad: r.int('bad', 7),
  }), { coerceStrings: true });
  t.match(r, { ok: false, error: [{ path: 'bad', message: /integer/ }] });
  const plain = readConfig({ port: '80' }, (r) => r.int('port', 0));
  t.match(plain, { ok: false, error: [{ path: 'port' }] }, 'no coercion unless asked');
  const good = readConfig({ port: '80', on: 'true', off: '0', frac: '0.5' }, (r) => ({
    port: r.int('port', 0), on: r.bool('on', false), off: r.bool('off', true), frac: r.number('frac', 0),
  }), { coerceStrings: true });
  t.same(good, { ok: true, value: { port: 80, on: true, off: false, frac: 0.5 } });
});

t.test('item parsers', async (t) => {
  t.same(asString('a', 'p'), { ok: true, value: 'a' });
  t.match(asString(1, 'p'), { ok: false, error: { path: 'p' } });
  t.match(asNonEmptyString('  ', 'p'), { ok: false });
  t.same(asNumber({ min: 0, max: 1 })(0.5, 'p'), { ok: true, value: 0.5 });
  t.match(asNumber({ min: 0 })(-1, 'p'), { ok: false, error: { message: /≥ 0/ } });
  t.match(asNumber()(Infinity, 'p'), { ok: false });
  t.match(asNumber()(NaN, 'p'), { ok: false });
  t.match(asBool()('true', 'p'), { ok: false });
  t.same(asEnum(['UDP', 'TCP'], true)('tcp', 'p'), { ok: true, value: 'TCP' });
  t.match(asEnum(['UDP', 'TCP'])('tcp', 'p'), { ok: false });
  t.match(asUrl()('not a url', 'p'), { ok: false, error: { message: /not a URL/ } });
  t.same(asUrl(['etcd:'])('etcd://h:2379', 'p'), { ok: true, value: 'etcd://h:2379' });
  t.same(asIp(' 2001:DB8::1', 'p'), { ok: true, value: '2001:db8::1' });
  t.match(asIp('1.2.3', 'p'), { ok: false });
  t.match(asCidr('9.0.0.0/33', 'p'), { ok: false, error: { path: 'p', message: /prefix/ } });
  t.match(asCidr(8, 'p'), { ok: false, error: { message: /want a CIDR/ } });
});

t.test('parseHostPort', async (t) => {
  const cases: [string, number | undefined, { host: string; port: number } | undefined][] = [
    ['10.0.0.1:53', undefined, { host: '10.0.0.1', port: 53 }],
    ['leader.mesos:5050', undefined, { host: 'leader.mesos', port: 5050 }],
    ['leader.mesos', 5050, { host: 'leader.mesos', port: 5050 }],
    ['leader.mesos', undefined, undefined],
    ['[::1]:53', undefined, { host: '::1', port: 53 }],
    ['[::1]', 53, { host: '::1', port: 53 }],
    ['::1:53', undefined, undefined],
    ['[1.2.3.4]:53', undefined, undefined],
    ['h:0', undefined, undefined],
    ['h:65536', undefined, undefined],
    ['h:5x', undefined, undefined],
    ['bad_host:1', undefined, undefined],
    [':53', undefined, undefined],
  ];
  for (const [input, dflt, want] of cases) t.same(parseHostPort(input, dflt), want, `${input} (${dflt})`);
});
