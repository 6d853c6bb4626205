/**
 * The handler's use of the reply cache (reply-cache.ts) on the synchronous UDP path: before a
 * query is decoded, its reply is replayed when one is cached for its key or, for a name only an
 * account could make exist and none has, for its shape; after the full path answered it, the
 * reply is remembered. Both steps run in the same turn for one query, so the key and generation
 * found by replay() are kept here for the remember() that follows.
 */
import type { DnsMetrics } from '../metrics/types';
import type { Query, Response } from './packet';
import { Rcode } from './packet';
import { onlyAnAccountMakes } from './answer';
import { createReplyCache, labelBelow, shapeOf, wireName, type ReplyKey } from './reply-cache';
import type { AnswerSecurity } from './dnssec/types';
import type { Zone } from './zone';

/** The two synchronous reads the replay makes (the handler's SyncReads has them). */
export interface ReplayReads {
  /** The change check; the store's generation. */
  begin(): number;
  /** False when no account has this subdomain. */
  mayHaveAccount(subdomain: string): boolean;
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
  const apexWire = wireName(zone.apexLabels);
  // The last replay()'s miss, for remember(): one query at a time (the synchronous path).
  let key: ReplyKey | undefined;
  let generation: number | undefined;
  let second = 0;

  /** The shape key of a query for `<label>.<apex>` that no account has and nothing else makes exist, else undefined. */
  function absentShape(exact: ReplyKey, reads: ReplayReads): ReplyKey | undefined {
    const label = labelBelow(exact, apexWire);
    if (label === undefined || !onlyAnAccountMakes(label, zone)) return undefined;
    return reads.mayHaveAccount(label) ? undefined : shapeOf(exact, label);
  }

  return {
    replay(msg, reads, t) {
      key = replies.keyOf(msg);
      generation = undefined;
      second = t;
      if (key === undefined) return undefined;
      try {
        generation = reads.begin();
        const dnskeys = dnssec?.dnskeys();
        let hit = replies.replay(msg, key, generation, t, dnskeys);
        if (hit === undefined) {
          const shape = absentShape(key, reads);
          if (shape !== undefined) {
            key = shape;
            hit = replies.replay(msg, shape, generation, t, dnskeys);
          }
        }
        if (hit === undefined) return undefined;
        metrics?.dnsAnswered(hit.qtype, hit.rcode, 'udp');
        return hit.reply;
      } catch {
        // The store is failing: the full path answers SERVFAIL and logs it; nothing is remembered.
        key = undefined;
        generation = undefined;
        return undefined;
      }
    },
    checked: () => generation !== undefined,
    remember(query, res, out) {
      if (key === undefined || generation === undefined || res.rcode === Rcode.SERVFAIL) return;
      // Signed answers carry the asker's spelling in their denial's RDATA (reply-cache.ts).
      if (dnssec !== undefined && query.edns?.dnssecOk === true) return;
      replies.remember(key, out, generation, second, dnssec?.dnskeys(), query.question?.type ?? 0, res.rcode);
      key = undefined;
    },
  };
}
