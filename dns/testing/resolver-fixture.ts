// The resolver/HTTP test setup of mesos-dns (resolver_test.go fakeDNS): fake.json with its own leader
// (1.2.3.4), masters [144.76.157.37:5050], RFC952, IPSources netinfo,docker,mesos,host, NS name
// mesos-dns.mesos. → 127.0.0.1, SOA ns1.mesos / root.ns1.mesos serial 0, RecurseOn false.
import { generateRecords, type RecordSet } from '../records.js';
import { buildZone, type Zone } from '../zone.js';
import { fakeSnapshot, fixtureResolve } from './fixtures.js';
import type { Snapshot } from '../../src/kernel/snapshot.js';

export interface ResolverFixture { snapshot: Snapshot; records: RecordSet; zone: Zone }

export function resolverFixture(serial = 0): ResolverFixture {
  const snapshot = fakeSnapshot();
  const records = generateRecords(snapshot, {
    domain: 'mesos', nsName: 'mesos-dns.mesos.', listener: '127.0.0.1', masters: ['144.76.157.37:5050'],
    ipSources: ['netinfo', 'docker', 'mesos', 'host'], enforceRFC952: true,
  }, { resolve: fixtureResolve });
  const zone = buildZone(records, undefined, {
    domain: 'mesos', ttl: 60, dcosTtl: 5, soaMname: 'ns1.mesos', soaRname: 'root.ns1.mesos', soaRefresh: 60, soaRetry: 600, soaExpire: 86400, serial,
  });
  return { snapshot, records, zone };
}
