/**
 * Bytes in, bytes out (or null: drop). The one fixed pipeline of DESIGN rule 2 with a guard
 * around it: whatever throws becomes SERVFAIL and one log line; this function never throws.
 */
import { StoreUnavailableError } from '../core/errors';
import type { NameData } from '../core/types';
import type { Logger } from '../log';
import { limitedLine } from '../log';
import type { DnsMetrics, TransferMetrics } from '../metrics/types';
import type { Query, QueryHeader, Question, Response } from './packet';
import { CLASS_IN, OPCODE_QUERY, OPCODE_UPDATE, Rcode, RRType } from './packet';
import { accountLabel, answer, challengeName, ownNamesBelow, type Answer } from './answer';
import { carriesSoa, createSoaAt, withSerial } from './serial';
import { encodeResponse } from './wire';
import { decodeQuery } from './wire-decode';
import { bare, bareHeader, early, sizeLimit, TCP_MAX } from './early-responses';
import { createUdpReplay } from './udp-replay';
import { createAsyncReplay, type PendingReply } from './async-replay';
import { createTransferReplies } from './xfr/reply';
import type { AnswerTransfer } from './xfr/transfer';
import { isTransferType } from './xfr/transfer';
import type { Zone } from './zone';
import { presentName } from './names';
import type { UpdateHandler } from './update';
import { RCODE_NOTAUTH, type TsigSigner } from './tsig';
import type { AnswerSecurity } from './dnssec/types';
import type { TsigKeyLookup } from './tsig-gate';
import { checkTsig } from './tsig-gate';

/** The store's lookup: account data for a subdomain label, undefined when there is none. */
export type Lookup = (subdomain: string, nowSeconds: number) => Promise<NameData | undefined>;

/** The store's own-challenge values at a lower-case name (no trailing dot); [] when none. */
export type Challenges = (name: string, nowSeconds: number) => Promise<readonly string[]>;

/**
 * The same reads without promises (the SQLite store's cached reads): UDP queries are then answered
 * in the turn they arrive. `begin` runs once per query before its reads (the store's one change
 * check). Each may throw (StoreUnavailableError: SERVFAIL).
 */
export interface SyncReads {
  /** Returns the store's generation (SyncZoneReads.begin): answers built from the reads may be cached under it. */
  readonly begin: () => number;
  /** SyncZoneReads.answerEpoch: the second as a cached reply's validity sees it. */
  readonly answerEpoch: (nowSeconds: number) => number;
  readonly lookup: (subdomain: string, nowSeconds: number) => NameData | undefined;
  readonly challenges: (name: string, nowSeconds: number) => readonly string[];
  /** lookup's answer, not timed as a store operation (SyncZoneReads.peekAccount): the replay's read. */
  readonly peekAccount: (subdomain: string, nowSeconds: number) => NameData | undefined;
  /** SyncZoneReads.writeSoleValue: the replay's account read into a reply, without a string. */
  readonly writeSoleValue: (query: Uint8Array, from: number, nowSeconds: number, length: number, out: Buffer, at: number) => boolean;
  /** SyncZoneReads.accountAbsent: the replay's denial read, without a string. */
  readonly accountAbsent: (query: Uint8Array, from: number, length: number) => boolean;
  /** SyncZoneReads.touchAccounts: the reads ahead of a batch's answers (udp-batch.ts). */
  readonly touchAccounts: (queries: readonly Uint8Array[], from: number, length: number) => number;
  /** The zone's serial, as `HandlerDeps.serial`; absent: the serial the zone was built with. */
  readonly serial?: (() => number) | undefined;
}

/** Which transport a message came over; it decides the size limit. */
export type Transport = 'udp' | 'tcp';

/** What goes back over TCP: one message, or a zone transfer's several, in order, on the same connection (RFC 5936 §2.2). */
export type TcpReply = Buffer | readonly Buffer[] | null;

/**
 * Answers one message from `source` (the peer's IP address: allow-lists, transfer ACLs); resolves
 * to null when nothing must be sent. Never rejects. Over UDP always one message at most.
 */
export interface DnsHandler {
  (msg: Buffer, transport: 'udp', source: string): Promise<Buffer | null>;
  (msg: Buffer, transport: 'tcp', source: string): Promise<TcpReply>;
  /**
   * The UDP answer computed at once, byte for byte what the call above resolves to, when nothing
   * asynchronous is needed (sync reads given; no TSIG, UPDATE or transfer); NEEDS_ASYNC when it
   * is: then call the handler. Never throws.
   */
  readonly udpNow?: ((msg: Buffer) => Buffer | null | typeof NEEDS_ASYNC) | undefined;
  /**
   * Run on a batch of datagrams before udpNow answers the first (udp-batch.ts): starts the memory
   * reads their answers will make. Changes nothing udpNow answers; never throws.
   */
  readonly udpPrepare?: ((msgs: readonly Buffer[]) => void) | undefined;
  /**
   * The UDP answers to a batch of datagrams from `sources` on the promise path (a store without
   * sync reads, PostgreSQL), each handed to `reply` (which must not throw) with its index as soon
   * as it is built: the same bytes as the call above, the batch's repeated questions found with
   * one read of the store's generation. Resolves once every one was handed over; never rejects.
   */
  readonly udpMany?: ((msgs: readonly Buffer[], sources: readonly string[], reply: (index: number, built: Buffer | null) => void) => Promise<void>) | undefined;
}

/** udpNow's "answer through the promise path instead". */
export const NEEDS_ASYNC: unique symbol = Symbol('needs async');

/** What the handler needs. */
export interface HandlerDeps {
  readonly zone: Zone;
  readonly lookup: Lookup;
  /** The server's own DNS-01 values (the API certificate's), published through the store. */
  readonly challenges: Challenges;
  readonly logger: Logger;
  /** Seconds. */
  readonly now: () => number;
  /** Counts each answered message (type, rcode, transport) and transfer; absent: nothing is counted. */
  readonly metrics?: (DnsMetrics & Partial<TransferMetrics>) | undefined;
  /** Milliseconds, for the rate-limited SERVFAIL log lines; default Date.now. */
  readonly clockMs?: () => number;
  /** RFC 2136 UPDATE (opcode 5) goes here (DESIGN rule 2); absent: UPDATE is NOTIMP like any other opcode. */
  readonly update?: UpdateHandler | undefined;
  /** TSIG keys by name (RFC 8945); absent: every signed request gets BADKEY. May reject (SERVFAIL). */
  readonly tsigKey?: TsigKeyLookup | undefined;
  /**
   * The zone's current serial (the store's, shared by concurrent callers: dns/serial.ts), read for
   * answers that carry the SOA; absent: the serial the zone was built with.
   */
  readonly serial?: (() => Promise<number>) | undefined;
  /** The reads without promises; absent: every query goes through `lookup`, `challenges` and `serial`. */
  readonly sync?: SyncReads | undefined;
  /**
   * Store.readGeneration, for a store without `sync` reads: repeated UDP questions are then
   * replayed on the promise path too (async-replay.ts); absent: they are answered anew.
   */
  readonly readGeneration?: (() => Promise<number>) | undefined;
  /** Answers AXFR and IXFR (dns/xfr); absent: they are REFUSED as any other name we do not serve them for. */
  readonly transfers?: AnswerTransfer | undefined;
  /**
   * DNSSEC (dns/dnssec): the apex DNSKEY RRset is served, and answers to queries with DO set are
   * signed; absent: the zone is unsigned.
   */
  readonly dnssec?: AnswerSecurity | undefined;
}

/** The opcode of a message with a header (RFC 1035 §4.1.1), else undefined. */
function opcodeOf(msg: Buffer): number | undefined {
  return msg.length >= 12 ? ((msg[2] as number) >> 3) & 0xf : undefined;
}

/** A failing store under a query flood logs one line per this many ms (DESIGN rule 2). */
export const SERVFAIL_LOG_INTERVAL_MS = 10_000;

/** Builds the handler. */
export function createHandler(deps: HandlerDeps): DnsHandler {
  const { zone, lookup, challenges, logger, now, metrics, serial, transfers, dnssec } = deps;
  const soaAt = createSoaAt(zone);
  const transferReplies = transfers && createTransferReplies({ answer: transfers, now, metrics });
  /** A zone transfer request (RFC 5936 §2.1, RFC 1995 §3) that dns/xfr answers. */
  const isTransfer = (query: Query): boolean =>
    query.header.opcode === OPCODE_QUERY &&
    query.questionCount === 1 &&
    query.question?.class === CLASS_IN &&
    isTransferType(query.question.type) &&
    (query.edns?.version ?? 0) === 0;
  // One limit per line: an outage of the store does not hide a bug's line, nor the reverse.
  const storeDownLine = limitedLine(SERVFAIL_LOG_INTERVAL_MS, deps.clockMs);
  const failedLine = limitedLine(SERVFAIL_LOG_INTERVAL_MS, deps.clockMs);
  // Replies to repeated questions (udp-replay.ts); only the synchronous UDP path uses it.
  const replay = createUdpReplay({ zone, dnssec, metrics });
  // The same on the promise path, for a store that reads its generation asynchronously.
  const asyncReplay = deps.sync === undefined && deps.readGeneration !== undefined ? createAsyncReplay({ zone, readGeneration: deps.readGeneration, now, dnssec, metrics }) : undefined;

  /** DESIGN rule 2's answer -> sign steps on the stamped answer; truncation is send's. */
  function finish(query: Query, q: Question, t: number, stamped: Answer): Response {
    const signing = dnssec !== undefined && query.edns?.dnssecOk === true;
    const a = signing ? dnssec.secure(stamped, q, zone, t) : stamped;
    return { ...bare(query, a.rcode, true), aa: a.aa, answer: a.answer, authority: a.authority };
  }

  async function respond(query: Query): Promise<Response> {
    const q = query.question;
    const stop = early(query, dnssec !== undefined);
    if (stop || !q) return stop ?? bare(query, Rcode.FORMERR, false);
    const t = Math.floor(now());
    const label = accountLabel(q, zone);
    const account = label === undefined ? undefined : await lookup(label, t);
    // Fetched after the lookup, whose result decides whether it is needed (challengeName's rule).
    const own = challengeName(q, zone);
    const values = own === undefined ? [] : await challenges(own, t);
    // A name above the own DNS-01 names exists while one of them holds a value (RFC 8020 §2).
    const below = ownNamesBelow(q, zone, account !== undefined || values.length > 0);
    const nonTerminal = below.length > 0 && (await Promise.all(below.map((n) => challenges(n, t)))).some((v) => v.length > 0);
    const plain = answer(q, zone, account, values, nonTerminal, dnssec?.dnskeys());
    // The store's serial, read only when the answer carries the SOA (a round trip on PostgreSQL).
    const stamped = serial && carriesSoa(plain) ? withSerial(plain, soaAt(await serial())) : plain;
    return finish(query, q, t, stamped);
  }

  /**
   * respond() with the synchronous reads at second `t`: the same steps in the same order, no
   * promise. `checked`: the change check was made for this query already.
   */
  function respondNow(query: Query, reads: SyncReads, t: number, checked: boolean): Response {
    const q = query.question;
    const stop = early(query, dnssec !== undefined);
    if (stop || !q) return stop ?? bare(query, Rcode.FORMERR, false);
    // The change check once, before the first read (answers from the static zone need none).
    let begun = checked;
    const store = (): SyncReads => {
      if (!begun) reads.begin();
      begun = true;
      return reads;
    };
    const label = accountLabel(q, zone);
    const account = label === undefined ? undefined : store().lookup(label, t);
    const own = challengeName(q, zone);
    const values = own === undefined ? [] : store().challenges(own, t);
    const below = ownNamesBelow(q, zone, account !== undefined || values.length > 0);
    const nonTerminal = below.length > 0 && below.some((n) => store().challenges(n, t).length > 0);
    const plain = answer(q, zone, account, values, nonTerminal, dnssec?.dnskeys());
    const readSerial = reads.serial;
    let stamped = plain;
    if (readSerial && carriesSoa(plain)) {
      // The serial reader serves the last serial when the store fails (createSyncSerialReader), so
      // the static SOA keeps answering; a failing change check is one such failure.
      try {
        store();
      } catch {
        begun = true;
      }
      stamped = withSerial(plain, soaAt(readSerial()));
    }
    return finish(query, q, t, stamped);
  }

  /** handle() over UDP without promises, when no step of the query needs one (DnsHandler.udpNow). */
  function udpNow(msg: Buffer): Buffer | null | typeof NEEDS_ASYNC {
    const reads = deps.sync;
    if (reads === undefined || (deps.update !== undefined && opcodeOf(msg) === OPCODE_UPDATE)) return NEEDS_ASYNC;
    const t = Math.floor(now());
    const cached = replay.replay(msg, reads, t);
    if (cached !== undefined) return cached;
    let query: Query | undefined;
    try {
      const decoded = decodeQuery(msg);
      if (decoded.kind === 'drop') return null;
      if (decoded.kind === 'formerr') return formerr(decoded.header, decoded.reason, 'udp');
      query = decoded.query;
      // A TSIG key lookup is a promise, and so is a transfer (never over UDP, but answered by dns/xfr).
      if (query.tsig !== undefined || (transferReplies && isTransfer(query))) return NEEDS_ASYNC;
      const res = respondNow(query, reads, t, replay.checked());
      const out = send(res, query, 'udp', undefined);
      replay.remember(query, res, out);
      return out;
    } catch (err) {
      return servfail(err, query?.header, query, 'udp', undefined);
    }
  }

  function udpPrepare(msgs: readonly Buffer[]): void {
    const reads = deps.sync;
    if (reads === undefined) return;
    try {
      replay.prepare(msgs, reads);
    } catch {
      // A read ahead only: the answer's own read decides, and reports a failing store.
    }
  }

  function handle(msg: Buffer, transport: 'udp', source: string): Promise<Buffer | null>;
  function handle(msg: Buffer, transport: 'tcp', source: string): Promise<TcpReply>;
  async function handle(msg: Buffer, transport: Transport, source: string): Promise<TcpReply> {
    // An UPDATE is never keyed (the reply cache takes OPCODE 0 only): answerFully hands it on.
    let pending: PendingReply | undefined;
    if (transport === 'udp' && asyncReplay !== undefined) {
      const cached = await asyncReplay.replay(msg);
      if (cached !== undefined && 'reply' in cached) return cached.reply;
      pending = cached?.pending;
    }
    return answerFully(msg, transport, source, pending);
  }

  /**
   * udpMany (DnsHandler): the batch's replayable queries wait for one generation read, then each
   * is answered from the cache or, with what remembering its reply needs, by the full path. The
   * others (static data, UPDATE: never keyed) go to the full path at once, never waiting for the
   * store's generation (async-replay.ts).
   */
  async function udpMany(msgs: readonly Buffer[], sources: readonly string[], reply: (index: number, built: Buffer | null) => void): Promise<void> {
    const replay = asyncReplay as NonNullable<typeof asyncReplay>;
    const full = (i: number, pending: PendingReply | undefined): Promise<void> =>
      answerFully(msgs[i] as Buffer, 'udp', sources[i] as string, pending).then((built) => reply(i, built as Buffer | null));
    const keys = msgs.map((msg) => replay.keyOf(msg));
    const rest: Promise<void>[] = [];
    for (let i = 0; i < msgs.length; i++) if (keys[i] === undefined) rest.push(full(i, undefined));
    const cached = await replay.replayMany(msgs, keys);
    for (let i = 0; i < msgs.length; i++) {
      if (keys[i] === undefined) continue;
      const found = cached[i];
      if (found !== undefined && 'reply' in found) reply(i, found.reply);
      else rest.push(full(i, found?.pending));
    }
    await Promise.all(rest);
  }

  /** handle() past the reply cache: `pending` says how to remember a UDP reply it builds. */
  async function answerFully(msg: Buffer, transport: Transport, source: string, pending: PendingReply | undefined): Promise<TcpReply> {
    if (deps.update !== undefined && opcodeOf(msg) === OPCODE_UPDATE) return deps.update(msg, transport, source);
    let header: QueryHeader | undefined;
    let query: Query | undefined;
    let signer: TsigSigner | undefined;
    try {
      const decoded = decodeQuery(msg);
      if (decoded.kind === 'drop') return null;
      if (decoded.kind === 'formerr') return formerr(decoded.header, decoded.reason, transport);
      query = decoded.query;
      header = query.header;
      // RFC 8945 §5.2: the signature is checked first, and every answer to a signed request is
      // signed (§5.3), whatever it says; a refused signature gets NOTAUTH and nothing else.
      const gate = await checkTsig(query, msg, deps.tsigKey, now());
      if (gate.kind === 'formerr') return formerr(header, gate.reason, transport);
      if (gate.kind === 'refused') logger.debug({ key: query.tsig?.keyName, tsigError: gate.error, transport }, 'TSIG refused');
      signer = gate.kind === 'unsigned' ? undefined : gate.signer;
      if (transferReplies && isTransfer(query)) {
        if (gate.kind === 'refused') metrics?.dnsTransfer?.(query.question?.type === RRType.IXFR ? 'ixfr' : 'axfr', 'notauth');
        else return await transferReplies(query, transport, sizeLimit(transport, query.edns), source, gate.kind === 'verified' ? { keyName: gate.key.name, signer: gate.signer } : undefined);
      }
      const res = gate.kind === 'refused' ? bare(query, RCODE_NOTAUTH, true) : await respond(query);
      const out = send(res, query, transport, signer);
      // Only an unsigned request's answer (a signed one's is signed for its asker).
      if (pending !== undefined && gate.kind === 'unsigned') asyncReplay?.remember(pending, query, res, out);
      return out;
    } catch (err) {
      return servfail(err, header, query, transport, signer);
    }
  }
  // With sync reads a batch is answered in its turn (udpNow); without, a store that reads its
  // generation answers a batch's repeated questions after one read (udpMany); any other handler
  // gets each datagram as it comes (udp.ts).
  if (deps.sync !== undefined) return Object.assign(handle, { udpNow, udpPrepare });
  return asyncReplay === undefined ? handle : Object.assign(handle, { udpMany });

  /** Encodes within the transport's limit, leaving room for the TSIG RR when one is appended. */
  function send(res: Response, query: Query | undefined, transport: Transport, signer: TsigSigner | undefined): Buffer {
    const encoded = encodeResponse(res, sizeLimit(transport, query?.edns) - (signer?.overhead ?? 0));
    const out = signer ? signer.sign(encoded, now()) : encoded;
    metrics?.dnsAnswered(query?.question?.type, res.rcode, transport);
    return out;
  }

  function formerr(header: QueryHeader, reason: string, transport: Transport): Buffer {
    logger.debug({ reason, transport }, 'FORMERR');
    const out = encodeResponse({ ...bareHeader(header), rcode: Rcode.FORMERR }, TCP_MAX);
    metrics?.dnsAnswered(undefined, Rcode.FORMERR, transport);
    return out;
  }

  function servfail(
    err: unknown,
    header: QueryHeader | undefined,
    query: Query | undefined,
    transport: Transport,
    signer: TsigSigner | undefined,
  ): Buffer | null {
    const qname = query?.question ? presentName(query.question.labels) : undefined;
    // `suppressed`: the SERVFAILs of the same kind not logged since the previous line.
    if (err instanceof StoreUnavailableError) {
      storeDownLine((suppressed) => logger.warn({ err, qname, transport, suppressed }, 'store unavailable: answered SERVFAIL'));
    } else {
      failedLine((suppressed) => logger.error({ err, qname, transport, suppressed }, 'DNS handler failed: answered SERVFAIL'));
    }
    if (!header) return null;
    try {
      const res = query ? bare(query, Rcode.SERVFAIL, true) : { ...bareHeader(header), rcode: Rcode.SERVFAIL };
      return send(res, query, transport, signer);
    } catch {
      return null;
    }
  }
}
