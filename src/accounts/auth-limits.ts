/**
 * The limits around authentication (issue 8), for every action that checks a key, whatever the
 * transport (the API's routes today, RFC 2136 updates next).
 *
 * - Failures count per (address, X-Api-User), so one account's wrong key, or a brute force of
 *   it, never locks out another account used from the same address (a NAT, an IPv6 /64, a
 *   proxy not in trusted_proxies); a much higher per-address ceiling stops one address trying
 *   many users. A user that authenticated from an address before is not held to that ceiling.
 * - Requests refused before any credential check (no or malformed user or key) cost no bcrypt;
 *   they have their own, cheaper limit and never use the allowances of well-formed requests.
 * - The token is taken before the bcrypt compare and given back on success, so however many
 *   requests arrive at once, at most the allowance of them does the expensive work; and at most
 *   `auth_in_flight` compares per address run at once (in-flight.ts).
 * - Each account's writes have a budget of their own (`beforeWrite`).
 */
import { AuthenticationFailedError, RateLimitedError } from '../core/errors';
import type { Account } from '../core/types';
import { parseUuid } from '../core/uuid';
import { isValidKey } from '../core/validation';
import type { Credentials } from './authenticate';
import { createInFlightSlots, type Release } from './in-flight';
import { clientKey, MAX_TRACKED_CLIENTS, type Client, type RateLimiters, type TokenBuckets } from './limits';

/** Authentication and the allowfrom check, unlimited (authenticate.ts; tests pass their own). */
export type CheckCredentials = (client: Client, creds: Credentials) => Promise<Account>;

/** What the actions that check a key call. */
export interface AuthGate {
  /** The account, or AuthenticationFailedError, or RateLimitedError when a limit is reached. */
  authorise(client: Client, creds: Credentials): Promise<Account>;
  /**
   * The same limits around any credential check that names `user` (an RFC 2136 UPDATE: the TSIG
   * key's name): `check` runs only within the limits, and counts as a failure when it throws
   * AuthenticationFailedError.
   */
  authoriseAs<T>(client: Client, user: string, check: () => Promise<T>): Promise<T>;
  /** Before an account's value changes: RateLimitedError once its write budget is spent. */
  beforeWrite(account: Pick<Account, 'username'>): void;
}

/** Throws RateLimitedError when `wait` (from TokenBuckets) says the bucket is empty. */
function refuse(wait: number, detail: string): void {
  if (wait > 0) throw new RateLimitedError(wait, detail);
}

/** The user a well-formed request names (lower-case UUID); undefined when no key could match. */
function wellFormedUser(creds: Credentials): string | undefined {
  // The same tests authenticate() applies first: failing them costs no bcrypt.
  const user = parseUuid(creds.user ?? '');
  return user !== undefined && isValidKey(creds.key ?? '') ? user : undefined;
}

/** (address, user) pairs that authenticated: exempt from the per-address ceiling. */
function knownPairs(): { has(pair: string): boolean; add(pair: string): void } {
  const pairs = new Set<string>();
  return {
    has: (pair) => pairs.has(pair),
    add(pair) {
      pairs.delete(pair);
      if (pairs.size >= MAX_TRACKED_CLIENTS) {
        const oldest = pairs.values().next();
        if (oldest.done !== true) pairs.delete(oldest.value);
      }
      pairs.add(pair);
    },
  };
}

/** Tokens taken by requests still running, per bucket key; a request short of one may wait for them. */
function heldTokens(): { holds(key: string): boolean; add(key: string): void; remove(key: string): void; settled(key: string): Promise<void> } {
  // Entries live only while requests run, so the map is bounded by the requests in flight.
  const held = new Map<string, { count: number; waiting: Array<() => void> }>();
  return {
    holds: (key) => (held.get(key)?.count ?? 0) > 0,
    add(key) {
      const entry = held.get(key) ?? { count: 0, waiting: [] };
      entry.count += 1;
      held.set(key, entry);
    },
    remove(key) {
      const entry = held.get(key);
      if (entry === undefined) return;
      entry.count -= 1;
      for (const wake of entry.waiting.splice(0)) wake();
      if (entry.count === 0) held.delete(key);
    },
    settled: (key) => new Promise((resolve) => held.get(key)?.waiting.push(resolve) ?? resolve()),
  };
}

/** One bucket a request draws on: the buckets, its key there, and that key among held tokens. */
type Draw = readonly [buckets: TokenBuckets, key: string, heldKey: string];

/** The gate for `limits` (from createRateLimiters) around `check`. */
export function createAuthGate(check: CheckCredentials, limits: RateLimiters): AuthGate {
  const { authFailures, authFailuresPerAddress: perAddress, malformedAuth, updates } = limits;
  const slots = limits.authInFlight > 0 ? createInFlightSlots(limits.authInFlight) : undefined;
  const known = knownPairs();
  const held = heldTokens();

  /** Takes a token from each bucket, or none: the first refusal gives back what was taken and is returned. */
  const takeAll = (draws: readonly Draw[]): { wait: number; heldKey: string } | undefined => {
    for (const [i, [buckets, key, heldKey]] of draws.entries()) {
      const wait = buckets.take(key);
      if (wait > 0) {
        for (const [b, k] of draws.slice(0, i)) b.give(k);
        return { wait, heldKey };
      }
    }
    return undefined;
  };

  /**
   * The tokens for one compare. Short of one while other requests of the same key hold theirs
   * (parallel requests of one client), it waits for them: a success gives its token back. The
   * tokens count as held from the moment they are taken, before any await.
   */
  const takeTokens = async (draws: readonly Draw[]): Promise<void> => {
    for (;;) {
      const refused = takeAll(draws);
      if (refused === undefined) {
        for (const [, , h] of draws) held.add(h);
        return;
      }
      if (!held.holds(refused.heldKey)) throw new RateLimitedError(refused.wait, 'too many failed authentications');
      await held.settled(refused.heldKey);
    }
  };

  /** `run` under the limits of (address, user) and of the address. */
  const limited = async <T>(client: Client, user: string, run: () => Promise<T>): Promise<T> => {
    const address = clientKey(client);
    const pair = `${address} ${user}`;
    const draws: Draw[] = [];
    if (authFailures !== undefined) draws.push([authFailures, pair, `pair ${pair}`]);
    if (perAddress !== undefined && !known.has(pair)) draws.push([perAddress, address, `address ${address}`]);
    // Refused at once when a bucket is empty and nothing in flight can give a token back.
    for (const [b, k, h] of draws) if (!held.holds(h)) refuse(b.wait(k), 'too many failed authentications');
    let release: Release | undefined;
    if (slots !== undefined) {
      const slot = slots.acquire(address);
      if (slot === undefined) throw new RateLimitedError(1, 'too many authentications in flight from this address');
      release = await slot;
    }
    try {
      await takeTokens(draws);
      try {
        const result = await run();
        for (const [b, k] of draws) b.give(k);
        known.add(pair);
        return result;
      } catch (err) {
        // Only a refused credential counts; a store that failed says nothing about the key.
        if (!(err instanceof AuthenticationFailedError)) for (const [b, k] of draws) b.give(k);
        throw err;
      } finally {
        for (const [, , h] of draws) held.remove(h);
      }
    } finally {
      release?.();
    }
  };

  return {
    async authorise(client, creds) {
      const user = wellFormedUser(creds);
      if (user === undefined) {
        // Always refused, so the token is never given back.
        refuse(malformedAuth?.take(clientKey(client)) ?? 0, 'too many malformed authentications from this address');
        return check(client, creds);
      }
      return limited(client, user, () => check(client, creds));
    },
    authoriseAs: (client, user, run) => limited(client, user, run),
    beforeWrite(account) {
      refuse(updates?.take(account.username) ?? 0, 'too many updates for this account');
    },
  };
}
