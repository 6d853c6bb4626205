/** The whole zone as an AXFR answer carries it (RFC 5936 §2.2): pure, from a snapshot of the store. */
import type { ZoneSnapshot } from '../../store/types';
import type { ResourceRecord } from '../packet';
import type { Zone } from '../zone';
import { staticRecords, txtRecords } from './records';

/**
 * SOA, the static records, every live TXT value, SOA again (RFC 5936 §2.2: the first and the last
 * record are the zone's SOA). `soa` is the apex SOA at the snapshot's serial.
 */
export function axfrRecords(zone: Zone, soa: ResourceRecord, snapshot: ZoneSnapshot): ResourceRecord[] {
  return [soa, ...staticRecords(zone), ...txtRecords(zone, snapshot.records), soa];
}
