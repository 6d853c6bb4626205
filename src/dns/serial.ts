/**
 * The zone's SOA serial in answers. The zone is built once from the config; its serial is the
 * store's (ZoneJournalPort.zoneSerial), which changes with every change of the zone's content and
 * is the same on every instance (issue 10, RFC 1982 arithmetic). Answers stay pure: the handler
 * reads the serial only when an answer carries the SOA and stamps it in with withSerial.
 */
import type { RData, ResourceRecord } from './packet';
import { RRType } from './packet';
import type { Zone } from './zone';

/** The answer sections the serial is stamped into. */
export interface Sections {
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
}

/** True when a section holds a SOA record (a SOA query, or a negative answer's authority, RFC 2308 §3). */
export function carriesSoa(a: Sections): boolean {
  return a.answer.some(isSoa) || a.authority.some(isSoa);
}

function isSoa(rr: ResourceRecord): boolean {
  return rr.data.type === 'SOA';
}

/** The zone's SOA RDATA at one serial; remembers the last one, so the encoder's cache (by object) keeps hitting. */
export function createSoaAt(zone: Zone): (serial: number) => RData {
  const base = zone.negativeSoa.data;
  if (base.type !== 'SOA') throw new Error('the zone has no SOA');
  let last: { serial: number; data: RData } | undefined;
  return (serial) => {
    if (last?.serial !== serial) last = { serial, data: { ...base, serial } };
    return last.data;
  };
}

/** `a` with every SOA record's RDATA replaced by `soa` (owners and TTLs kept). Pure. */
export function withSerial<A extends Sections>(a: A, soa: RData): A {
  const stamp = (rrs: readonly ResourceRecord[]): readonly ResourceRecord[] =>
    rrs.some(isSoa) ? rrs.map((rr) => (isSoa(rr) ? { ...rr, data: soa } : rr)) : rrs;
  return { ...a, answer: stamp(a.answer), authority: stamp(a.authority) };
}

/** The apex SOA record of the zone at `serial` (transfers, NOTIFY): the static SOA TTL, not the negative one. */
export function soaRecord(zone: Zone, soa: RData): ResourceRecord {
  const ttl = zone.nodes.get(zone.apex)?.rrsets.get(RRType.SOA)?.ttl ?? zone.negativeSoa.ttl;
  return { name: zone.apex, ttl, data: soa };
}

/**
 * A reader of the store's serial for answers: concurrent callers share one outstanding store call
 * (PostgreSQL costs a round trip each), and when the store fails after a serial was read once,
 * the last one is served, so the static zone's SOA keeps answering while the store is down.
 */
export function createSerialReader(read: () => Promise<number>): () => Promise<number> {
  let inflight: Promise<number> | undefined;
  let last: number | undefined;
  return () => {
    inflight ??= read()
      .then(
        (serial) => (last = serial),
        (err: unknown) => {
          if (last === undefined) throw err;
          return last;
        },
      )
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/** createSerialReader for a synchronous read (the SQLite store's): the last serial when the read throws after one succeeded. */
export function createSyncSerialReader(read: () => number): () => number {
  let last: number | undefined;
  return () => {
    try {
      last = read();
    } catch (err) {
      if (last === undefined) throw err;
    }
    return last;
  };
}
