/**
 * Deciding a zone transfer request (AXFR RFC 5936, IXFR RFC 1995) and reading what it needs from
 * the store; building the records is axfr.ts / ixfr.ts (pure), encoding and signing the handler's.
 */
import type { ZoneJournalPort } from '../../store/types';
import type { TransferMetrics, TransferResult } from '../../metrics/types';
import { keyLabels } from '../names';
import type { Query, ResourceRecord } from '../packet';
import { Rcode, RRType } from '../packet';
import type { Zone } from '../zone';
import type { TransferAcl } from './acl';
import { axfrRecords } from './axfr';
import { ixfrRecords, serialAtLeast } from './ixfr';

/** A refusal or error (one message), or the records of the answer (as many messages as they need). */
export type TransferOutcome =
  | { readonly kind: 'rcode'; readonly rcode: number }
  | { readonly kind: 'records'; readonly records: readonly ResourceRecord[] };

/** What deciding a transfer needs. */
export interface TransferDeps {
  readonly zone: Zone;
  readonly journal: Pick<ZoneJournalPort, 'zoneSnapshot' | 'zoneChangesSince'>;
  /** The store's current serial (the handler's shared reader). */
  readonly serial: () => Promise<number>;
  /** The apex SOA record at a serial. */
  readonly soaAt: (serial: number) => ResourceRecord;
  readonly acl: TransferAcl;
  /** `[transfer] tsig_key`: when set, a transfer must be signed with this key and no other. */
  readonly keyName: string | undefined;
  /** Seconds. */
  readonly now: () => number;
  readonly metrics?: Partial<TransferMetrics> | undefined;
}

/**
 * Answers a transfer request from `source`; `signedBy` is the name of the key whose TSIG verified
 * (undefined: unsigned; a failed TSIG never gets here, it is answered NOTAUTH first, RFC 8945 §5.2).
 */
export type AnswerTransfer = (query: Query, tcp: boolean, source: string, signedBy: string | undefined) => Promise<TransferOutcome>;

/** True for the question types this module answers. */
export function isTransferType(qtype: number | undefined): boolean {
  return qtype === RRType.AXFR || qtype === RRType.IXFR;
}

/** Builds the transfer answerer. */
export function createTransfers(deps: TransferDeps): AnswerTransfer {
  const { zone, journal, serial, soaAt, acl, keyName, now, metrics } = deps;

  async function decide(query: Query, tcp: boolean, source: string, signedBy: string | undefined): Promise<[TransferResult, TransferOutcome]> {
    const q = query.question;
    const rcode = (result: TransferResult, code: number): [TransferResult, TransferOutcome] => [result, { kind: 'rcode', rcode: code }];
    // Only the zone itself can be transferred (RFC 5936 §2.1: QNAME is the zone's apex).
    if (!q || keyLabels(q.labels).join('.') !== zone.apex) return rcode('refused', Rcode.REFUSED);
    if (!acl.admits(source)) return rcode('refused', Rcode.REFUSED);
    // With a transfer key, THE key: an account's key (good for its own UPDATEs) does not do.
    if (keyName !== undefined && signedBy !== keyName) return rcode('refused', Rcode.REFUSED);
    if (q.type === RRType.AXFR) {
      // RFC 5936 §4.2: AXFR is TCP only. Knot answers NOTIMP over UDP; so do we.
      if (!tcp) return rcode('notimp', Rcode.NOTIMP);
      return ['full', { kind: 'records', records: await full() }];
    }
    // RFC 1995 §3: the client's version is the SOA in the authority section; BIND: FORMERR without it.
    const theirs = query.authoritySoaSerial;
    if (theirs === undefined) return rcode('formerr', Rcode.FORMERR);
    const current = await serial();
    // RFC 1995 §2: over UDP the current SOA alone, so the client comes back over TCP (as Knot does).
    if (!tcp || serialAtLeast(theirs, current)) return ['uptodate', { kind: 'records', records: [soaAt(current)] }];
    const steps = await journal.zoneChangesSince(theirs);
    // §4: when the journal no longer reaches back, the whole zone in the IXFR format of an AXFR.
    if (steps === undefined) return ['full', { kind: 'records', records: await full() }];
    const last = steps.length > 0 ? (steps[steps.length - 1]?.to ?? current) : current;
    return [steps.length > 0 ? 'incremental' : 'uptodate', { kind: 'records', records: ixfrRecords(zone, soaAt, last, steps) }];
  }

  async function full(): Promise<ResourceRecord[]> {
    const snapshot = await journal.zoneSnapshot(Math.floor(now()));
    return axfrRecords(zone, soaAt(snapshot.serial), snapshot);
  }

  return async (query, tcp, source, signedBy) => {
    const kind = query.question?.type === RRType.IXFR ? 'ixfr' : 'axfr';
    const [result, outcome] = await decide(query, tcp, source, signedBy);
    metrics?.dnsTransfer?.(kind, result);
    return outcome;
  };
}
