/** The authoritative DNS server: public surface for the daemon and the config check. */
export { createDnsServer } from './server';
export type { DnsServer, DnsServerDeps } from './server';
export { parseZone, serialFromTime } from './zone';
export type { Zone, ZoneConfig } from './zone';
export { createSelfQuery, type SelfQuery } from './client/self-query';
export type { Challenges, Lookup } from './handler';
export { createZoneNotifier, startZoneJobs, type Notifier, type ZoneJobs } from './xfr';
export type { TsigKeyLookup } from './tsig-gate';
export { createUpdateHandler, updateServfail, type UpdateHandler } from './update';
