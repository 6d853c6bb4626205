/** The zone's records as transfers carry them: the static ones from the config, the store's TXT values. */
import type { ZoneTxt } from '../../store/types';
import { txtStrings } from '../answer';
import { depthBelow, splitName } from '../names';
import type { ResourceRecord } from '../packet';
import { RRType } from '../packet';
import type { Zone } from '../zone';

/** Every static record at or below the apex except the SOA, apex first (RFC 5936 §2.2: any order between the SOAs). */
export function staticRecords(zone: Zone): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const [owner, node] of zone.nodes) {
    if (!node.inZone) continue;
    for (const set of node.rrsets.values()) {
      if (set.type === RRType.SOA) continue;
      for (const data of set.data) out.push({ name: owner, ttl: set.ttl, data });
    }
  }
  return out;
}

/**
 * The store's TXT values as records, the ones the server answers only: below the apex (an own
 * challenge of an api_domain outside the zone is not in it), not at a static CNAME (RFC 1034
 * §3.6.2: the CNAME answers there), not empty (acme-dns's never-updated slots are not data).
 */
export function txtRecords(zone: Zone, values: readonly ZoneTxt[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const { owner, value } of values) {
    if (value === '' || depthBelow(splitName(owner), zone.apexLabels) < 1) continue;
    if (zone.nodes.get(owner)?.rrsets.has(RRType.CNAME)) continue;
    out.push({ name: owner, ttl: zone.txtTtl, data: { type: 'TXT', strings: txtStrings(value) } });
  }
  return out;
}
