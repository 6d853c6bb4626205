/** The differences since a secondary's version as an IXFR answer carries them (RFC 1995 §4): pure. */
import type { ZoneDelta } from '../../store/types';
import type { ResourceRecord } from '../packet';
import type { Zone } from '../zone';
import { txtRecords } from './records';

/**
 * SOA(current), then per step SOA(from), the records removed, SOA(to), the records added, and
 * SOA(current) last (RFC 1995 §4). `soaAt` is the apex SOA at a serial. With no steps the answer
 * is the current SOA alone: the client is up to date (§4, "only the SOA").
 */
export function ixfrRecords(zone: Zone, soaAt: (serial: number) => ResourceRecord, current: number, steps: readonly ZoneDelta[]): ResourceRecord[] {
  const soa = soaAt(current);
  if (steps.length === 0) return [soa];
  const out: ResourceRecord[] = [soa];
  for (const step of steps) {
    out.push(soaAt(step.from), ...txtRecords(zone, step.removed), soaAt(step.to), ...txtRecords(zone, step.added));
  }
  out.push(soa);
  return out;
}

/** RFC 1982 §3.2: `a` is `b` or later in serial number arithmetic (32 bits). */
export function serialAtLeast(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff === 0 || (diff > 0 && diff < 0x80000000);
}
