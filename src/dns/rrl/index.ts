/**
 * Response rate limiting on UDP (issue 8 item 6): the step after "truncate with TC" in DESIGN
 * rule 2, for UDP only (a TCP answer goes to a source proven by the handshake, so it cannot be
 * reflected at a victim). Given the reply and the peer's address it says what to send: the reply,
 * its slipped (TC=1) form, or nothing.
 */
import type { Cidr } from '../../core/cidr';
import { anyContains, parseCidrList, parseClientIp } from '../../core/cidr';
import type { RrlConfig } from '../../config/types';
import type { Logger } from '../../log';
import type { RrlMetrics } from '../../metrics/types';
import { createLimiter } from './limiter';
import { sourcePrefix } from './prefix';
import { classify, slipped } from './response';

/** Decides one UDP reply to `address`: the bytes to send, or null to send nothing. */
export type UdpReplyLimit = (reply: Buffer, address: string) => Buffer | null;

/** What the limit is built from. */
export interface RrlDeps {
  readonly config: RrlConfig;
  /** Seconds (fractions allowed). */
  readonly now: () => number;
  /** Counts dropped and slipped replies; absent: nothing is counted. */
  readonly metrics?: RrlMetrics | undefined;
  /** Told (at most once a minute) when the table is full and new groups share one allowance. */
  readonly logger?: Logger | undefined;
}

/** Seconds between two "table full" warnings: enough to notice, never a flood of lines. */
const FULL_WARNING_INTERVAL = 60;

/** Sources we could not read (never seen from a socket) share one group rather than escaping. */
const UNKNOWN_SOURCE = '?';

/** Builds the limit; undefined when `[rrl]` is off, so the UDP path pays nothing. */
export function createUdpReplyLimit(deps: RrlDeps): UdpReplyLimit | undefined {
  const { config, now, metrics, logger } = deps;
  if (!config.enabled) return undefined;
  const limiter = createLimiter(config);
  const exempt: readonly Cidr[] = parseCidrList(config.exempt);
  let warned = { at: -Infinity, overflowed: 0 };

  function warnWhenFull(t: number): void {
    if (t - warned.at < FULL_WARNING_INTERVAL) return;
    const overflowed = limiter.overflowed();
    if (overflowed === warned.overflowed) return;
    logger?.warn({ tableSize: config.tableSize, sharedReplies: overflowed - warned.overflowed }, 'RRL table full: new groups share one allowance; raise [rrl] table_size if this is not an attack');
    warned = { at: t, overflowed };
  }

  function isExempt(address: string): boolean {
    if (exempt.length === 0) return false;
    const ip = parseClientIp(address);
    return ip !== undefined && anyContains(exempt, ip);
  }

  return (reply, address) => {
    if (isExempt(address)) return reply;
    const prefix = sourcePrefix(address, config.ipv4Prefix, config.ipv6Prefix) ?? UNKNOWN_SOURCE;
    const group = classify(reply);
    const t = now();
    const action = limiter.decide(`${prefix}|${group.kind}|${group.name}`, t);
    warnWhenFull(t);
    if (action === 'send') return reply;
    if (action === 'slip') {
      metrics?.dnsRrl('slipped');
      return slipped(reply);
    }
    metrics?.dnsRrl('dropped');
    return null;
  };
}
