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
  return {
    async replay(msg) {
      const key = replies.keyOf(msg);
      if (key === undefined) return undefined;
      const label = labelBelow(key, apexWire);
      if (label === undefined || !onlyAnAccountMakes(label, zone)) return undefined;
      let generation: number;
      try {
        generation = await readGeneration();
      } catch {
        // The store is failing: the full path answers SERVFAIL and logs it.
        return undefined;
      }
      const second = Math.floor(now());
      const dnskeys = dnssec?.dnskeys();
      const hit = replies.replay(msg, key, generation, second, dnskeys);
      if (hit === undefined) return { pending: { key, generation, second, dnskeys } };
      metrics?.dnsAnswered(hit.qtype, hit.rcode, 'udp');
      return { reply: hit.reply };
    },
    remember(pending, query, res, out) {
      if (res.rcode === Rcode.SERVFAIL) return;
      // Signed answers carry the asker's spelling in their denial's RDATA (reply-cache.ts).
      if (dnssec !== undefined && query.edns?.dnssecOk === true) return;
      replies.remember(pending.key, out, pending.generation, pending.second, pending.dnskeys, query.question?.type ?? 0, res.rcode);
    },
  };
}
