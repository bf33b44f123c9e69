// The HEAD template `mesonet edge serve` uses by default (a HAPROXY_HEAD env var or template file
// still replaces it): marathon-lb's global and defaults sections, but with its machine paths moved
// into the daemon's run directory, no syslog lines and no Lua: the :9090 endpoints are served by
// the daemon itself, which reads HAProxy's stats page and Prometheus exporter from `listen stats`
// bound on a unix socket. The stats socket keeps `expose-fd listeners`, which is what lets a new
// worker take the listening sockets over on reload. The global `maxconn 50000` is left out: HAProxy
// then sizes it from the file-descriptor limit it gets instead of refusing to start. Pure.
import { HEAD_DEFAULTS } from './templates.js';

export const statsSocket = (runDir: string): string => `${runDir}/haproxy.sock`;
export const statsHttpSocket = (runDir: string): string => `${runDir}/stats.sock`;
export const masterSocket = (runDir: string): string => `${runDir}/master.sock`;
export const stateDir = (runDir: string): string => `${runDir}/state/`;

export function serveHead(runDir: string, defaultOptions: string, ciphers: string): string {
  return `global
  spread-checks 5
  max-spread-checks 15000
  tune.ssl.default-dh-param 2048
  ssl-default-bind-ciphers ${ciphers}
  ssl-default-bind-options no-sslv3 no-tlsv10 no-tls-tickets
  ssl-default-server-ciphers ${ciphers}
  ssl-default-server-options no-sslv3 no-tlsv10 no-tls-tickets
  stats socket ${statsSocket(runDir)} mode 600 level admin expose-fd listeners
  server-state-file global
  server-state-base ${stateDir(runDir)}
${HEAD_DEFAULTS}${defaultOptions}listen stats
  bind unix@${statsHttpSocket(runDir)} mode 600
  balance
  mode http
  stats enable
  http-request use-service prometheus-exporter if { path /metrics }
  monitor-uri /_haproxy_health_check
`;
}
