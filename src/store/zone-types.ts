/**
 * The store's side of standard DNS (issue 10): the zone's serial and journal that zone transfers
 * read (RFC 1995, RFC 5936), the TSIG keys RFC 2136 clients sign with (RFC 8945), and the one
 * atomic change an RFC 2136 UPDATE makes. Every change of the zone's dynamic content (a TXT value
 * added, removed, pruned or expired, an own challenge value published or withdrawn) bumps the
 * serial and writes the journal in the same transaction as the change (DESIGN rule 6).
 *
 * The store knows the zone's apex: it is opened with `zone` (config `dns.domain`; SqliteStoreOptions,
 * PostgresStoreOptions, openStore). The journal stores owners relative (the subdomain key, or the
 * full name of an own challenge) and appends the apex when it reads, so a renamed zone never serves
 * names of the old one. Own challenges outside the zone are not its content: no serial step, not in
 * a snapshot. "Content" is the rows stored: a value older than `txt.max_age` stays content (and a
 * refresh of it is no change) until expireZoneValues or a write's pruning removes it, journaled.
 */
import type { TsigAlgorithm } from '../core/tsig-algorithms';
import type { AuditContext } from './admin-types';

// The algorithms' one table is core's (its names, wire names and sizes); the key port names them so.
export type { TsigAlgorithm } from '../core/tsig-algorithms';

/** One TXT record of the zone's dynamic content. */
export interface ZoneTxt {
  /** Lower-case FQDN without the final dot: `<subdomain_key>.<zone>` or an own challenge name. */
  readonly owner: string;
  readonly value: string;
}

/** The changes from serial `from` to serial `to` (one step of an IXFR, RFC 1995 §4). */
export interface ZoneDelta {
  readonly from: number;
  readonly to: number;
  readonly removed: readonly ZoneTxt[];
  readonly added: readonly ZoneTxt[];
}

/** The zone's dynamic content at one serial, read in one transaction (AXFR, RFC 5936). */
export interface ZoneSnapshot {
  readonly serial: number;
  readonly records: readonly ZoneTxt[];
}

/** An account's TSIG key as stored: the secret is kept so the server can compute the HMAC. */
export interface StoredTsigKey {
  /** Lower-case key name without the final dot, unique across the store. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** The raw secret (shown once, base64, when created). */
  readonly secret: Buffer;
  /** The account the key belongs to, and the one name it may change. */
  readonly username: string;
  readonly subdomain: string;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** What one RFC 2136 UPDATE does to an account's TXT RRset, applied in this order (RFC 2136 §3.4.2). */
export interface TxtUpdate {
  /** "Delete an RRset" (§2.5.2) or "delete all RRsets from a name" (§2.5.3) of the account's name. */
  readonly deleteAll: boolean;
  /** "Delete an RR from an RRset" (§2.5.4): these values. */
  readonly remove: readonly string[];
  /** "Add to an RRset" (§2.5.1): these values, under the policy (`txt.keep`, `txt.max_age`). */
  readonly add: readonly string[];
}

/** How an atomic update ended. */
export type TxtUpdateOutcome =
  /** `added`/`removed`: TXT records the zone gained and lost at the name (net; values pruned by the policy count as removed). */
  | { readonly kind: 'applied'; readonly added: number; readonly removed: number }
  /** The prerequisite check refused the current values: nothing changed. */
  | { readonly kind: 'prerequisite-failed' }
  /** No account has the subdomain (deleted meanwhile): nothing changed. */
  | { readonly kind: 'gone' };

/** What zone transfers and NOTIFY read, and the background jobs that keep the journal honest. */
export interface ZoneJournalPort {
  /** The zone's current serial (RFC 1982 arithmetic; never goes backwards, across restarts too). */
  zoneSerial(): Promise<number>;
  /** Every live dynamic TXT record (values within `txt.max_age` at `nowSeconds`, live own challenges) and its serial. */
  zoneSnapshot(nowSeconds: number): Promise<ZoneSnapshot>;
  /**
   * The steps from `serial` to the current serial, oldest first; [] when `serial` is current;
   * undefined when the journal no longer reaches back that far (the caller sends the whole zone).
   */
  zoneChangesSince(serial: number): Promise<readonly ZoneDelta[] | undefined>;
  /**
   * Removes values older than `txt.max_age` (none when it is 0) and own challenges past their expiry,
   * journaled with one serial bump; how many went. Safe on several instances at once (each value goes once).
   */
  expireZoneValues(nowSeconds: number): Promise<number>;
  /**
   * The first whole second (Unix time) at which expireZoneValues would remove a value stored now;
   * undefined when none ever would (no own challenge, and no `txt.max_age` or no value). The zone
   * jobs sleep until then instead of sweeping on a timer (issue 12).
   */
  nextZoneExpiry(): Promise<number | undefined>;
  /** Keeps the newest `keepSerials` steps of the journal (in short batches); how many steps went. */
  pruneZoneJournal(keepSerials: number): Promise<number>;
}

/** The TSIG keys of accounts. Creating and removing keys is audited when `audit` is given. */
export interface TsigKeyPort {
  /** Stores a new key for `username`; StoreConflictError when the name exists; false when the account does not. */
  addTsigKey(username: string, key: { readonly name: string; readonly algorithm: TsigAlgorithm; readonly secret: Buffer }, nowSeconds: number, audit?: AuditContext): Promise<boolean>;
  /** The account's keys, oldest first (with secrets: callers show only names and algorithms). */
  listTsigKeys(username: string): Promise<readonly StoredTsigKey[]>;
  /** The key with this name (any case, with or without the final dot), with its account; undefined when none. */
  findTsigKey(name: string): Promise<StoredTsigKey | undefined>;
  /** Removes the key; with `username`, only when it is that account's; false when nothing went. */
  removeTsigKey(name: string, username?: string, audit?: AuditContext): Promise<boolean>;
}

/** The RFC 2136 change: atomic, prerequisites checked inside the same transaction. */
export interface TxtUpdatePort {
  /**
   * Reads the subdomain's live values (newest first) inside one transaction, lets `check` decide
   * (RFC 2136 §3.2 prerequisites; false: nothing changes), then applies `update`, bumps the serial
   * and journals the change, all or nothing. Audited (`txt.updated` / `txt.removed`) when `audit` is given.
   */
  applyTxtUpdate(
    subdomain: string,
    update: TxtUpdate,
    check: (current: readonly string[]) => boolean,
    nowSeconds: number,
    audit?: AuditContext,
  ): Promise<TxtUpdateOutcome>;
}
