/**
 * The response rate limiter's accounting (RRL as designed by Vixie and Schryver and shipped in
 * BIND, Knot and NSD): one balance per group of alike responses, in a bounded table. Pure: the
 * caller passes the time, so tests count answers exactly.
 *
 * A group's balance starts at `responsesPerSecond` (one second's worth), is credited that many per
 * second (never above it) and debited one per response. A response is sent while a whole response
 * is left; otherwise it is limited and the balance sinks further, down to `-window × rate` (BIND's
 * window): a group that keeps flooding stays limited, and one that stops is answered again within
 * `window` seconds. So over any `T` seconds a group gets at most `rate × (T + 1)` answers.
 */

/** What to do with one response. */
export type RrlDecision = 'send' | 'slip' | 'drop';

/** The limiter's settings (the `[rrl]` section, less what classifies sources). */
export interface LimiterSettings {
  readonly responsesPerSecond: number;
  /** Every `slip`th limited response goes out truncated; 0 never, 1 every one. */
  readonly slip: number;
  readonly windowSeconds: number;
  /** Groups held at most (the memory bound). */
  readonly tableSize: number;
}

/** The accounting of one table. */
export interface Limiter {
  /** Decides one response of group `key` at `nowSeconds` (the caller's clock, fractions allowed). */
  decide(key: string, nowSeconds: number): RrlDecision;
  /** Groups held now (for tests and the bound). */
  size(): number;
  /** Decisions made on the shared overflow account so far (the table was full). */
  overflowed(): number;
}

interface Account {
  balance: number;
  last: number;
  /** When it last moved to the young end of the table (moving on every use costs a delete + set). */
  moved: number;
  /** Limited responses since the last slip, modulo `slip`. */
  limited: number;
}

/** Builds an empty table. */
export function createLimiter(settings: LimiterSettings): Limiter {
  const { responsesPerSecond: rate, slip, windowSeconds, tableSize } = settings;
  const floor = -windowSeconds * rate;
  // From the floor back to a full balance takes window + 1 seconds: an account idle that long
  // is exactly a fresh one, so dropping it loses nothing.
  const forgetAfter = windowSeconds + 1;
  // Map keeps insertion order; re-inserting a used account (at most once a second) keeps the
  // oldest-used first, to within a second. Eviction checks the account's real `last`, so that
  // second never lets an account still remembered be dropped.
  const table = new Map<string, Account>();
  // When the table is full of groups still remembered, every new group shares this one account
  // (fail closed, never open: filling the table cannot buy unlimited answers, and nothing still
  // in debt is evicted, so an attacker cannot wash a victim's penalty away).
  let overflow: Account | undefined;
  let overflowed = 0;

  function account(key: string, now: number): Account {
    const held = table.get(key);
    if (held) {
      if (now - held.moved >= 1) {
        held.moved = now;
        table.delete(key);
        table.set(key, held);
      }
      return held;
    }
    if (table.size >= tableSize) {
      const oldest = table.entries().next().value;
      if (!oldest || now - oldest[1].last < forgetAfter) {
        overflow ??= { balance: rate, last: now, moved: now, limited: 0 };
        overflowed += 1;
        return overflow;
      }
      table.delete(oldest[0]);
    }
    const fresh: Account = { balance: rate, last: now, moved: now, limited: 0 };
    table.set(key, fresh);
    return fresh;
  }

  return {
    decide(key, now) {
      const a = account(key, now);
      // A clock that steps back credits nothing (and never debits).
      if (now > a.last) {
        a.balance = Math.min(rate, a.balance + rate * (now - a.last));
        a.last = now;
      }
      if (a.balance >= 1) {
        a.balance -= 1;
        return 'send';
      }
      a.balance = Math.max(floor, a.balance - 1);
      if (slip === 0) return 'drop';
      // The first limited response of every `slip` goes out truncated (BIND's order), so a real
      // resolver learns at once to ask over TCP.
      const slips = a.limited === 0;
      a.limited = (a.limited + 1) % slip;
      return slips ? 'slip' : 'drop';
    },
    size: () => table.size,
    overflowed: () => overflowed,
  };
}
