/**
 * The handler's use of the reply cache (reply-cache.ts) and the account templates
 * (reply-templates.ts) on the synchronous UDP path: before a query is decoded, its reply is
 * replayed when one is cached for its key or, for a name only an account could make exist and
 * none has, for its shape; for such a name an account has, it is made from the verified template
 * of its shape and value lengths. A query of the shape last served so is compared with that query
 * in place and answered without a string per query (byModel): for an account of one value, the
 * store writes the value's octets into the copy (with the inline slot of uuid-table.ts, a
 * random-account load of 1,000,000 went from 3.0 to 1.7 us per query in the process); for a name
 * no account has, the store says so from the label's octets (a random-subdomain flood). After the
 * full path answered a query, its reply is remembered, and learnt as a template or checked against
 * one. Both steps run in the same turn for one query, so what replay() found is kept here for the
 * remember() that follows.
 */
import type { NameData } from '../core/types';
import type { DnsMetrics } from '../metrics/types';
import type { Query, Response } from './packet';
import { Rcode } from './packet';
import { onlyAnAccountMakes, onlyAnAccountMakesAny } from './answer';
import { createReplyCache, isPlainLabelAt, LABEL_AT, labelBelow, matchesModel, modelOf, replyFor, shapeOf, wireName, type CachedReply, type QueryModel, type ReplyKey } from './reply-cache';
import { createReplyTemplates, fill, type ReplyTemplate } from './reply-templates';
import type { AnswerSecurity } from './dnssec/types';
import type { Zone } from './zone';

/** The synchronous reads the replay makes (the handler's SyncReads has them). */
export interface ReplayReads {
  /** The change check; the store's generation. */
  begin(): number;
  /** After begin(): the epoch a reply built at second `nowSeconds` is kept under (SyncZoneReads.answerEpoch). */
  answerEpoch(nowSeconds: number): number;
  /** The account's data at second `nowSeconds`, undefined when no account has the subdomain (SyncReads.peekAccount). */
  peekAccount(subdomain: string, nowSeconds: number): NameData | undefined;
  /** SyncReads.writeSoleValue: the account's one value written into a reply, without a string. */
  writeSoleValue(query: Uint8Array, from: number, nowSeconds: number, length: number, out: Buffer, at: number): boolean;
  /** SyncReads.accountAbsent: true when no account has the label, without a string. */
  accountAbsent(query: Uint8Array, from: number, length: number): boolean;
  /** SyncReads.touchAccounts: the labels' index slots read ahead of the answers. */
  touchAccounts(queries: readonly Uint8Array[], from: number, length: number): number;
}

/** Octets of an account's label, a UUID in its text form: the labels prepare() reads ahead. */
const UUID_LABEL = 36;

/** The verified template byShape served last, and the query it served. */
interface LastServed {
  readonly template: ReplyTemplate;
  readonly model: QueryModel;
}

/** A cached reply and the query (or shape) it was last served for. */
interface LastEntry {
  readonly entry: CachedReply;
  readonly model: QueryModel;
}

/** A query for an account's name that no verified template answered: remember() learns or checks. */
interface AccountMiss {
  readonly msg: Buffer;
  readonly shapeKey: string;
  readonly label: string;
  readonly values: readonly string[];
  /** The unverified template found for the key, if any. */
  readonly template: ReplyTemplate | undefined;
}

/** The cache steps of one handler's udpNow. */
export interface UdpReplay {
  /**
   * The cached reply to `msg` at second `t`, counted in the metrics; undefined when the full path
   * must answer. Makes the query's change check (`begin`) when the query has a key.
   */
  replay(msg: Buffer, reads: ReplayReads, t: number): Buffer | undefined;
  /** Whether the last replay() made the change check (the full path then need not make it again). */
  checked(): boolean;
  /** Remembers the full path's reply to the query the last replay() missed; signed replies and failures are not kept. */
  remember(query: Query, res: Response, out: Buffer): void;
  /**
   * Before a batch is answered (udp-batch.ts): for the queries whose first label has a UUID's
   * length, starts the reads of their accounts' index slots, which replay() or the full path read
   * next. Changes nothing a reply depends on.
   */
  prepare(msgs: readonly Buffer[], reads: ReplayReads): void;
}

/** A reply made without the full path, and its metrics. */
interface Hit {
  readonly reply: Buffer;
  readonly qtype: number;
  readonly rcode: number;
}

/** What the replay needs of the handler's dependencies. */
export interface UdpReplayDeps {
  readonly zone: Zone;
  readonly dnssec?: AnswerSecurity | undefined;
  readonly metrics?: DnsMetrics | undefined;
}

/** The steps, with an empty cache. */
export function createUdpReplay({ zone, dnssec, metrics }: UdpReplayDeps): UdpReplay {
  const replies = createReplyCache();
  const templates = createReplyTemplates();
  const apexWire = wireName(zone.apexLabels);
  // The last replay()'s miss, for remember(): one query at a time (the synchronous path).
  let key: ReplyKey | undefined;
  let generation: number | undefined;
  // The epoch of the last replay()'s second (SyncZoneReads.answerEpoch): what remember() keeps a reply under.
  let epoch = 0;
  let accountMiss: AccountMiss | undefined;
  // A random-account load, and a random-subdomain flood, ask one shape: their queries are answered
  // from the template or denial last served, compared in place, without a key, a label or a shape
  // key as strings (byModel).
  let lastServed: LastServed | undefined;
  let lastDenied: LastEntry | undefined;
  // A run of one question (a resolver re-asking a TXT whose TTL is 1 s, a CA's vantage points,
  // SOA probes) is answered from the reply its key found last, compared in place: the key, its
  // hash and the map's probe cost a fifth of such a replay. Kept once a key hits twice in a row.
  let lastReplayed: LastEntry | undefined;
  let lastHitKey: string | undefined;
  // What prepare()'s reads loaded, summed: a load whose value nothing uses may be compiled away.
  let touched = 0;
  // prepare()'s queries with a UUID-long first label (reused: no array per batch).
  const labelled: Buffer[] = [];

  /**
   * Whether what was built for `valid` may answer now, at epoch `e` of generation `gen`. Its
   * `second` field holds the epoch it was built in: the second itself once anything stored could
   * have aged out since, one number for every second before that (issue 12: a reply rebuilt each
   * second ran the full path cold once a second, 0.3-0.7 ms in the tail).
   */
  const current = (valid: CachedReply | ReplyTemplate, gen: number, e: number, dnskeys: unknown): boolean =>
    valid.generation === gen && valid.second === e && valid.dnskeys === dnskeys;
  /** The change check, and the epoch of second `t` for it. */
  const begin = (reads: ReplayReads, t: number): number => {
    generation = reads.begin();
    epoch = reads.answerEpoch(t);
    return generation;
  };

  /**
   * The reply for a query of the shape lastServed or lastDenied answered, read in place: the same
   * bytes byShape would make, when what it served is valid now and, for an account of one value of
   * the template's length, the store writes the value; for a denial, when the store says no account
   * has the label. Undefined when the key must decide (another shape, a new second or generation).
   * Makes the change check when a shape matches (`generation`).
   */
  function byModel(msg: Buffer, reads: ReplayReads, t: number, dnskeys: unknown): Hit | undefined {
    const replayed = lastReplayed;
    if (replayed !== undefined && matchesModel(msg, replayed.model)) {
      const { entry, model } = replayed;
      if (!current(entry, begin(reads, t), epoch, dnskeys)) return undefined;
      return { reply: replyFor(entry.reply, msg, model.nameEnd), qtype: entry.qtype, rcode: entry.rcode };
    }
    const served = lastServed;
    if (served !== undefined && matchesModel(msg, served.model)) {
      const { template, model } = served;
      if (!current(template, begin(reads, t), epoch, dnskeys)) return undefined;
      // The value is written straight into the copy; when the store says no, the copy is dropped.
      const reply = replyFor(template.reply, msg, model.nameEnd);
      if (!reads.writeSoleValue(msg, LABEL_AT, t, template.lengths[0] as number, reply, template.holes[0] as number)) return undefined;
      return { reply, qtype: template.qtype, rcode: template.rcode };
    }
    const denied = lastDenied;
    if (denied !== undefined && matchesModel(msg, denied.model)) {
      const { entry, model } = denied;
      if (!current(entry, begin(reads, t), epoch, dnskeys) || !isPlainLabelAt(msg, LABEL_AT, model.labelLength)) return undefined;
      if (!reads.accountAbsent(msg, LABEL_AT, model.labelLength)) return undefined;
      return { reply: replyFor(entry.reply, msg, model.nameEnd), qtype: entry.qtype, rcode: entry.rcode };
    }
    return undefined;
  }

  /**
   * For a query for `<label>.<apex>` that nothing but an account makes exist: the cached reply of
   * its shape when no account has the label, the reply made from its verified template when one
   * has; undefined when the full path must answer (then `key` and `accountMiss` say what to keep).
   */
  function byShape(msg: Buffer, exact: ReplyKey, reads: ReplayReads, gen: number, t: number, dnskeys: unknown): Hit | undefined {
    const label = labelBelow(exact, apexWire);
    if (label === undefined || !onlyAnAccountMakes(label, zone)) return undefined;
    const shape = shapeOf(exact, label);
    // One probe of the account index says both whether an account has the label and its values.
    const data = reads.peekAccount(label, t);
    if (data === undefined) {
      key = shape;
      const hit = replies.replay(msg, shape, gen, epoch, dnskeys);
      // Every label of this length is one only an account makes, so byModel need not ask.
      if (hit !== undefined && onlyAnAccountMakesAny(label.length, zone)) lastDenied = { entry: hit.entry, model: modelOf(exact) };
      return hit;
    }
    const template = templates.get(shape.key, data.values, gen, epoch, dnskeys);
    if (template?.verified === true) {
      // Every label of this length is one only an account makes, so byModel need not ask.
      if (template.lengths.length === 1 && onlyAnAccountMakesAny(label.length, zone)) lastServed = { template, model: modelOf(exact) };
      return { reply: fill(template, msg, exact.nameEnd, data.values), qtype: template.qtype, rcode: template.rcode };
    }
    accountMiss = { msg, shapeKey: shape.key, label, values: data.values, template };
    return undefined;
  }

  /** After `found` found its reply in `entry`: the second hit in a row of one key makes it lastReplayed. */
  function remindOf(found: ReplyKey, entry: CachedReply): void {
    if (found.key === lastHitKey && entry !== lastReplayed?.entry) lastReplayed = { entry, model: modelOf(found, true) };
    lastHitKey = found.key;
  }

  return {
    replay(msg, reads, t) {
      key = undefined;
      generation = undefined;
      accountMiss = undefined;
      try {
        const dnskeys = dnssec?.dnskeys();
        const fast = byModel(msg, reads, t, dnskeys);
        if (fast !== undefined) {
          metrics?.dnsAnswered(fast.qtype, fast.rcode, 'udp');
          return fast.reply;
        }
        key = replies.keyOf(msg);
        if (key === undefined) return undefined;
        const gen = generation ?? begin(reads, t);
        const exact = replies.replay(msg, key, gen, epoch, dnskeys);
        if (exact !== undefined) remindOf(key, exact.entry);
        const hit = exact ?? byShape(msg, key, reads, gen, t, dnskeys);
        if (hit === undefined) return undefined;
        metrics?.dnsAnswered(hit.qtype, hit.rcode, 'udp');
        return hit.reply;
      } catch {
        // The store is failing: the full path answers SERVFAIL and logs it; nothing is remembered.
        key = undefined;
        generation = undefined;
        accountMiss = undefined;
        return undefined;
      }
    },
    checked: () => generation !== undefined,
    prepare(msgs, reads) {
      labelled.length = 0;
      // The first label's length octet, then at least the label and the root's octet.
      for (const msg of msgs) if (msg.length > LABEL_AT + UUID_LABEL && msg[LABEL_AT - 1] === UUID_LABEL) labelled.push(msg);
      if (labelled.length > 0) touched = (touched + reads.touchAccounts(labelled, LABEL_AT, UUID_LABEL)) | 0;
      labelled.length = 0;
    },
    remember(query, res, out) {
      if (key === undefined || generation === undefined || res.rcode === Rcode.SERVFAIL) return;
      // Signed answers carry the asker's spelling in their denial's RDATA (reply-cache.ts).
      if (dnssec !== undefined && query.edns?.dnssecOk === true) return;
      const dnskeys = dnssec?.dnskeys();
      const qtype = query.question?.type ?? 0;
      replies.remember(key, out, generation, epoch, dnskeys, qtype, res.rcode);
      const miss = accountMiss;
      if (miss !== undefined) {
        if (miss.template === undefined) templates.learn(miss.shapeKey, miss.label, out, key.nameEnd, miss.values, { generation, second: epoch, dnskeys, qtype, rcode: res.rcode });
        else if (miss.label !== miss.template.label) templates.check(miss.shapeKey, miss.template, miss.msg, key.nameEnd, miss.values, out);
      }
      key = undefined;
      accountMiss = undefined;
    },
  };
}
