// The edge daemon's own metrics (served on :9090/metrics before HAProxy's exporter output).
import type { Counter, Gauge, Histogram, Registry } from '../../src/io/metrics.js';

export class EdgeMetrics {
  readonly syncs: Counter;
  readonly events: Counter;
  readonly marathonErrors: Counter;
  readonly malformed: Counter;
  readonly validationFailures: Counter;
  readonly reloads: Counter;
  readonly haproxyExits: Counter;
  readonly skippedTotal: Counter;
  readonly skipped: Gauge;
  readonly configBytes: Gauge;
  readonly generateSeconds: Histogram;
  readonly reloadSeconds: Histogram;

  constructor(r: Registry) {
    this.syncs = r.counter('mesonet_edge_syncs_total', 'Regenerations from Marathon (events collapsed, resyncs, signals).');
    this.events = r.counter('mesonet_edge_marathon_events_total', 'Marathon events received, by type.');
    this.marathonErrors = r.counter('mesonet_edge_marathon_errors_total', 'Failed reads of /v2/apps (last good config kept).');
    this.malformed = r.counter('mesonet_edge_malformed_items_total', 'Malformed apps/tasks/labels in Marathon data, ignored.');
    this.validationFailures = r.counter('mesonet_edge_validation_failures_total', 'Generated configs haproxy -c rejected.');
    this.reloads = r.counter('mesonet_edge_reloads_total', 'HAProxy reloads, by result.');
    this.haproxyExits = r.counter('mesonet_edge_haproxy_exits_total', 'Unexpected exits of the HAProxy master.');
    this.skippedTotal = r.counter('mesonet_edge_apps_left_out_total', 'Times an app (or service port) was newly left out of the config.');
    this.skipped = r.gauge('mesonet_edge_apps_left_out', 'Apps or service ports left out of the current config.');
    this.configBytes = r.gauge('mesonet_edge_config_bytes', 'Size of the installed haproxy.cfg.');
    this.generateSeconds = r.histogram('mesonet_edge_generate_seconds', 'Time from Marathon answer to generated config.');
    this.reloadSeconds = r.histogram('mesonet_edge_reload_seconds', 'Time for HAProxy to come back with a new worker.');
  }
}
