/**
 * The account limits (acme-dns has none: its #216, #263, #345) as token buckets (capacity = burst,
 * refilled at the sustained rate) in a bounded map per limiter; the least recently seen key is
 * forgotten first, which only ever forgives. Registration is limited by service.ts; the actions
 * that check a key go through auth-limits.ts. Over a limit: RateLimitedError, whatever the
 * transport (the API answers 429 `{"error": "rate_limited"}` with Retry-After).
 */
import type { RateLimitConfig } from '../config/types';
import { addressGroup, type IpAddress } from '../core/cidr';

/** Who asks, as the transport resolved it (the API: peer, or forwarded behind a trusted proxy). */
export interface Client {
  /** The address as text, for the audit trail and the log. */
  readonly text: string;
  /** The parsed address; undefined when the text does not parse. */
  readonly ip: IpAddress | undefined;
}

/** A bucket's size and refill rate. */
export interface BucketPolicy {
  readonly capacity: number;
  readonly perSecond: number;
}

/** Token buckets by key. */
export interface TokenBuckets {
  /** Takes a token: 0 when there was one, else the whole seconds until there will be (at least 1). */
  take(key: string): number;
  /** The seconds until a token is available without taking one; 0 when one is available now. */
  wait(key: string): number;
  /** Returns a token taken for work that turned out not to count (never above the capacity). */
  give(key: string): void;
  /** Keys held now (bounded by maxKeys). */
  readonly size: number;
}

/** Addresses remembered per limiter: about 100 bytes each, so ~1 MB at most. */
export const MAX_TRACKED_CLIENTS = 10_000;

/** Builds buckets; `clock` is in seconds and monotonic (tests pass their own). */
export function createTokenBuckets(
  policy: BucketPolicy,
  options: { readonly maxKeys?: number; readonly clock?: () => number } = {},
): TokenBuckets {
  const maxKeys = options.maxKeys ?? MAX_TRACKED_CLIENTS;
  const clock = options.clock ?? ((): number => performance.now() / 1000);
  const entries = new Map<string, { tokens: number; at: number }>();

  /** The key's bucket refilled up to now, moved to the most recently used end. */
  const current = (key: string): { tokens: number; at: number } => {
    const now = clock();
    let entry = entries.get(key);
    if (entry === undefined) {
      if (entries.size >= maxKeys) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entry = { tokens: policy.capacity, at: now };
    } else {
      entries.delete(key);
      entry.tokens = Math.min(policy.capacity, entry.tokens + Math.max(0, now - entry.at) * policy.perSecond);
      entry.at = now;
    }
    entries.set(key, entry);
    return entry;
  };
  const secondsUntilOne = (tokens: number): number => Math.max(1, Math.ceil((1 - tokens) / policy.perSecond));

  return {
    take(key) {
      const entry = current(key);
      if (entry.tokens < 1) return secondsUntilOne(entry.tokens);
      entry.tokens -= 1;
      return 0;
    },
    wait(key) {
      const entry = current(key);
      return entry.tokens < 1 ? secondsUntilOne(entry.tokens) : 0;
    },
    give(key) {
      // A key forgotten meanwhile starts full anyway: nothing to give back to.
      const entry = entries.get(key);
      if (entry !== undefined) entry.tokens = Math.min(policy.capacity, entry.tokens + 1);
    },
    get size() {
      return entries.size;
    },
  };
}

/** The key a client is limited by: its address group (core/cidr.ts addressGroup). */
export function clientKey(client: Client): string {
  return addressGroup(client.ip, client.text);
}

/** The limiters of one accounts service. Undefined members are off. */
export interface RateLimiters {
  /** Registrations (POST /register), per address. */
  readonly register: TokenBuckets | undefined;
  /** Failed authentications per (address, X-Api-User). */
  readonly authFailures: TokenBuckets | undefined;
  /** Failed authentications per address, whatever the user: the ceiling for many users. */
  readonly authFailuresPerAddress: TokenBuckets | undefined;
  /** Requests refused before any credential check (no or malformed user or key), per address. */
  readonly malformedAuth: TokenBuckets | undefined;
  /** Successful writes (putTxt, removeTxt: /update, /present, /cleanup) per account. */
  readonly updates: TokenBuckets | undefined;
  /** Delegation checks (POST /account/check) per account. */
  readonly checks: TokenBuckets | undefined;
  /** Delegation checks per address, whatever the account. */
  readonly checksPerAddress: TokenBuckets | undefined;
  /** Authentications running at once per address; 0: no cap. */
  readonly authInFlight: number;
}

/** A bucket of `burst` at once refilled at `perHour`, or off when the rate is 0. */
function hourly(perHour: number, burst: number, options: { readonly clock?: () => number }): TokenBuckets | undefined {
  return perHour === 0 ? undefined : createTokenBuckets({ capacity: burst, perSecond: perHour / 3600 }, options);
}

/** A bucket of `count` per `seconds`, or off when the count is 0. */
function perWindow(count: number, seconds: number, options: { readonly clock?: () => number }): TokenBuckets | undefined {
  return count === 0 ? undefined : createTokenBuckets({ capacity: count, perSecond: count / seconds }, options);
}

/** Limiters from `[ratelimit]`; without a config (embedding, tests of other things) nothing is limited. */
export function createRateLimiters(config: RateLimitConfig | undefined, clock?: () => number): RateLimiters {
  const options = clock === undefined ? {} : { clock };
  if (config === undefined) {
    return {
      register: undefined,
      authFailures: undefined,
      authFailuresPerAddress: undefined,
      malformedAuth: undefined,
      updates: undefined,
      checks: undefined,
      checksPerAddress: undefined,
      authInFlight: 0,
    };
  }
  const window = config.authFailureWindowSeconds;
  return {
    register: hourly(config.registerPerHour, config.registerBurst, options),
    authFailures: perWindow(config.authFailures, window, options),
    authFailuresPerAddress: perWindow(config.authFailuresPerAddress, window, options),
    malformedAuth: perWindow(config.authMalformed, window, options),
    updates: hourly(config.updatePerHour, config.updateBurst, options),
    checks: hourly(config.checkPerHour, config.checkBurst, options),
    checksPerAddress: hourly(config.checkPerAddressPerHour, config.checkPerAddressBurst, options),
    authInFlight: config.authInFlight,
  };
}
