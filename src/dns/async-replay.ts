/**
 * The reply cache (reply-cache.ts) on the promise path, for a store without synchronous reads
 * (PostgreSQL): a repeated UDP question is answered by a copy of the reply built for it, instead
 * of decode, answer and encode (about a third of such a query's cost in the process).
 *
 * The guarantee of several instances is kept: an answer to a query that arrives after a 200 on
 * any instance holds the new value. A cached reply is served only under the generation a read
 * that STARTED after the query arrived found (Store.readGeneration: PostgreSQL's shared counter,
 * read in the next round of the store's batched reads), as the store's own row cache is. A reply
 * the full path built is remembered under the generation read before it; its reads came from a
 * later round, so it is either of that generation or of a newer one, whose number that
 * generation never has again (its numbers only grow). As on the synchronous path, an entry also
 * holds only for its second and DNSKEY set, and signed answers are not kept.
 *
 * Only questions for `<label>.<apex>` that nothing but an account makes exist are replayed (an
 * account's TXT, a random-subdomain flood): their answer waits for a read of the store anyway, so
 * waiting for the generation first delays nothing. Static data, answered without the store,
 * never waits for it (a database that hangs would hold it up).
 */
import type { DnsMetrics } from '../metrics/types';
import type { Query, Response } from './packet';
import { Rcode } from './packet';
import type { AnswerSecurity } from './dnssec/types';
import { onlyAnAccountMakes } from './answer';
import { createReplyCache, labelBelow, wireName, type ReplyKey } from './reply-cache';
import type { Zone } from './zone';

/** What remember() needs of a query the cache could not answer. */
export interface PendingReply {
  readonly key: ReplyKey;
  readonly generation: number;
  readonly second: number;
  readonly dnskeys: unknown;
}

/** The cached reply, or what remembering the full path's reply needs. */
export type AsyncReplayResult = { readonly reply: Buffer } | { readonly pending: PendingReply };

/** The promise path's reply cache. */
export interface AsyncReplay {
  /** The cached reply to `msg`, or the pending entry for it; undefined when it is not cacheable or the generation read failed. Never rejects. */
  replay(msg: Buffer): Promise<AsyncReplayResult | undefined>;
  /** The key a message is replayed under; undefined when it never waits for the generation (static data, anything uncacheable). */
  keyOf(msg: Buffer): ReplyKey | undefined;
  /**
   * replay() for the messages of a batch that arrived before the call (dns/udp-batch.ts), given
   * their keyOf(): one generation read for them all, one promise for the batch instead of several
   * per query; undefined for a message without a key, which the caller answers without waiting.
   * Never rejects.
   */
  replayMany(msgs: readonly Buffer[], keys: readonly (ReplyKey | undefined)[]): Promise<(AsyncReplayResult | undefined)[]>;
  /** Keeps the full path's reply `out` to `query` (unsigned by TSIG) under `pending`; failures and DNSSEC-signed answers are not kept. */
  remember(pending: PendingReply, query: Query, res: Response, out: Buffer): void;
}

/** What it needs of the handler's dependencies. */
export interface AsyncReplayDeps {
  readonly zone: Zone;
  readonly readGeneration: () => Promise<number>;
  /** Seconds. */
  readonly now: () => number;
  readonly dnssec?: AnswerSecurity | undefined;
  readonly metrics?: DnsMetrics | undefined;
}

/** The cache, empty. */
export function createAsyncReplay({ zone, readGeneration, now, dnssec, metrics }: AsyncReplayDeps): AsyncReplay {
  const replies = createReplyCache();
  const apexWire = wireName(zone.apexLabels);
  /** The key of a query only an account's data answers: what waits for the generation; else undefined. */
  const keyOf = (msg: Buffer): ReplyKey | undefined => {
    const key = replies.keyOf(msg);
    if (key === undefined) return undefined;
    const label = labelBelow(key, apexWire);
    return label === undefined || !onlyAnAccountMakes(label, zone) ? undefined : key;
  };

  /** The cached reply for `msg` under `generation`, or what remembering its full reply needs. */
  const lookUp = (msg: Buffer, key: ReplyKey, generation: number, second: number, dnskeys: unknown): AsyncReplayResult => {
    const hit = replies.replay(msg, key, generation, second, dnskeys);
    if (hit === undefined) return { pending: { key, generation, second, dnskeys } };
    metrics?.dnsAnswered(hit.qtype, hit.rcode, 'udp');
    return { reply: hit.reply };
  };

  /** The generation, read by a read that starts now; undefined when the store fails (the full path answers SERVFAIL and logs it). */
  const generationNow = async (): Promise<number | undefined> => {
    try {
      return await readGeneration();
    } catch {
      return undefined;
    }
  };

  return {
    keyOf,
    async replay(msg) {
      const key = keyOf(msg);
      if (key === undefined) return undefined;
      const generation = await generationNow();
      if (generation === undefined) return undefined;
      return lookUp(msg, key, generation, Math.floor(now()), dnssec?.dnskeys());
    },
    async replayMany(msgs, keys) {
      if (keys.every((key) => key === undefined)) return keys.map(() => undefined);
      const generation = await generationNow();
      if (generation === undefined) return keys.map(() => undefined);
      const second = Math.floor(now());
      const dnskeys = dnssec?.dnskeys();
      return keys.map((key, i) => (key === undefined ? undefined : lookUp(msgs[i] as Buffer, key, generation, second, dnskeys)));
    },
    remember(pending, query, res, out) {
      if (res.rcode === Rcode.SERVFAIL) return;
      // Signed answers carry the asker's spelling in their denial's RDATA (reply-cache.ts).
      if (dnssec !== undefined && query.edns?.dnssecOk === true) return;
      replies.remember(pending.key, out, pending.generation, pending.second, pending.dnskeys, query.question?.type ?? 0, res.rcode);
    },
  };
}
