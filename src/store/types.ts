/**
 * The store as narrow ports: each consumer is typed with the slice it uses, so a part cannot
 * reach what it has no business with (the API cannot prune the audit trail, the ACME manager
 * cannot touch accounts), and a test double implements only its slice. `Store` is all of them.
 * Failures to reach the database surface as StoreUnavailableError, duplicates as StoreConflictError.
 */
import type { Account, NameData } from '../core/types';
import type { AccountPage, AccountSummary, AuditContext, AuditEntry, AuditQuery, LiveTxtValue } from './admin-types';
import type { ClusterStore } from './cluster-types';
import type { DnssecKeyPort } from './dnssec-types';
import type { TsigKeyPort, TxtUpdatePort, ZoneJournalPort } from './zone-types';

// The parts (api, dns, acme) may import only this file of the store; the management types come with it.
export type * from './admin-types';
export type * from './cluster-types';
export type * from './dnssec-types';
export type * from './zone-types';

/** One account with its TXT values, as an import (or a benchmark) brings it. */
export interface ImportEntry {
  readonly account: Account;
  readonly values: readonly { readonly value: string; readonly updatedAt: number }[];
}

/** What a bulk import did. */
export interface ImportResult {
  /** Accounts that were new. */
  readonly created: number;
  /** Accounts whose username was already there: left as they are (re-running is safe). */
  readonly existing: number;
}

/** What DNS answers read; dns/ takes them as two functions the daemon binds to the store. */
export interface ZoneReads {
  /** DNS lookup by subdomain (case-insensitive): undefined when no account has it. */
  lookup(subdomain: string, nowSeconds: number): Promise<NameData | undefined>;
  /** The own-challenge values live at `name` (lower-case FQDN, no trailing dot). */
  challengeValues(name: string, nowSeconds: number): Promise<readonly string[]>;
  /** The same reads without a promise, where the store can (SQLite); absent: use the async ones. */
  readonly syncReads?: SyncZoneReads | undefined;
  /**
   * The store's generation as of a read that started after the call (PostgreSQL: the shared
   * generation counter, read in the reads' next round): a number that differs from every earlier
   * one once what the reads return may have changed, on any instance. DNS caches replies built
   * after such a read under it (dns/handler.ts). Absent: the store has syncReads, or no such read.
   */
  readonly readGeneration?: (() => Promise<number>) | undefined;
}

/**
 * The DNS reads of a store whose reads are synchronous (SQLite, in-process), so a query is
 * answered in one turn without promises. Each throws what the async read rejects with
 * (StoreUnavailableError). `begin` comes first for each query: the reads after it see every
 * commit that completed before it (one change check per query instead of one per read).
 */
export interface SyncZoneReads {
  /** The store's generation: differs from every earlier one once what these reads return may have changed. */
  begin(): number;
  /**
   * After begin(): a number that stands for second `nowSeconds` when a reply built earlier asks
   * whether it may answer now. Within one generation two seconds get the same epoch only when
   * every read answers the same at both (no stored value expires between them): before the first
   * expiry of anything stored, every second gets one epoch; after it, each second its own. So the
   * reply cache rebuilds a reply when a value could have aged out, not at every second (issue 12).
   */
  answerEpoch(nowSeconds: number): number;
  lookup(subdomain: string, nowSeconds: number): NameData | undefined;
  challengeValues(name: string, nowSeconds: number): readonly string[];
  /**
   * What lookup() answers, for the reply replay (dns/udp-replay.ts): the same read, but the daemon
   * does not time it as a store operation (metrics/timed-store.ts). It is one probe of the
   * in-memory account index, well under the histogram's first bucket, which two clock reads per
   * query of a random-account load would cost as much as.
   */
  peekAccount(subdomain: string, nowSeconds: number): NameData | undefined;
  /**
   * The replay's account read without a string per query (dns/udp-replay.ts): when the account
   * whose subdomain is the 36 octets of `query` from `from` (the label as it arrived, any case)
   * has, at `nowSeconds`, exactly one value and it is `length` octets, writes the value's octets
   * at `out[at]` and returns true. False when it has not, or when only peekAccount can say (a key
   * that is no UUID, values still loading): then ask peekAccount. Untimed, as peekAccount.
   */
  writeSoleValue(query: Uint8Array, from: number, nowSeconds: number, length: number, out: Buffer, at: number): boolean;
  /**
   * The replay's denial read (dns/udp-replay.ts): true when no account has the label of `length`
   * octets of `query` from `from` (a plain label, any case: letters, digits, `-`, `_`), read
   * without a string. False when one has, or when only peekAccount can say. Untimed, as peekAccount.
   */
  accountAbsent(query: Uint8Array, from: number, length: number): boolean;
  /**
   * Starts the in-memory reads that writeSoleValue or accountAbsent will make for the label of
   * `length` octets from `from` of each of `queries`, and returns what they loaded (meaningless;
   * kept so the loads are not optimised away). dns/udp-batch.ts calls it for a batch's queries
   * before answering the first: a random account's index slot is a cache miss, and misses started
   * together overlap. Reads no database, changes nothing, never throws.
   */
  touchAccounts(queries: readonly Uint8Array[], from: number, length: number): number;
  /** ZoneJournalPort.zoneSerial. */
  zoneSerial(): number;
}

/**
 * Every change to an account, and the read that authenticates it: the slice account actions use,
 * whatever the transport (the API and the CLI today, accounts/ once it holds them).
 */
export interface AccountStore {
  /** Stores a new account; StoreConflictError when the username or subdomain exists. Audited when `audit` is given. */
  createAccount(account: Account, audit?: AuditContext): Promise<void>;
  /** The account with this canonical username, or undefined. */
  findAccount(username: string): Promise<Account | undefined>;
  /**
   * Adds a TXT value to the account's subdomain, or refreshes its time when it is already there,
   * then drops values beyond the policy (oldest first). Durable when the promise resolves.
   * A subdomain no account has (deleted meanwhile) keeps nothing. Audited when `audit` is given.
   */
  putTxt(subdomain: string, value: string, nowSeconds: number, audit?: AuditContext): Promise<void>;
  /**
   * Removes one TXT value from the subdomain (lego httpreq's /cleanup): true when it was there.
   * Audited (`txt.removed`) when `audit` is given and a value went.
   */
  removeTxt(subdomain: string, value: string, audit?: AuditContext): Promise<boolean>;
  /** Deletes the account and its TXT values; false when it did not exist. */
  deleteAccount(username: string, audit?: AuditContext): Promise<boolean>;
  /** Replaces the password hash; false when the account does not exist. */
  setPasswordHash(username: string, passwordHash: string, audit?: AuditContext): Promise<boolean>;
  /** Replaces the allowfrom list (already validated); false when the account does not exist. */
  setAllowFrom(username: string, allowFrom: readonly string[], audit?: AuditContext): Promise<boolean>;
  /** Removes every TXT value of the subdomain (any case); how many; undefined when no account has it. */
  clearTxt(subdomain: string, audit?: AuditContext): Promise<number | undefined>;
  /** The values DNS serves now at the subdomain (any case), with their times, newest first (lookup's order and limit). */
  liveTxt(subdomain: string, nowSeconds: number): Promise<readonly LiveTxtValue[]>;
}

/** The operator's views: accounts listed and described, the audit trail listed and pruned. */
export interface AdminPort {
  /** Accounts in username order, at most `limit`, after `after`. */
  listAccounts(page: AccountPage): Promise<AccountSummary[]>;
  /** One account by canonical username or by subdomain (any case), or undefined. */
  describeAccount(usernameOrSubdomain: string, nowSeconds?: number): Promise<AccountSummary | undefined>;
  /** Audit entries matching the query, oldest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Deletes at most `limit` audit entries older than `before` (Unix ms), oldest first; how many
   * went. One short statement per call: the retention job loops in batches so that a big prune
   * never holds the write lock (SQLite: the only writer) or the event loop for long. Safe to run
   * from several instances at once (each entry goes once; PostgreSQL skips rows another is deleting).
   */
  pruneAudit(before: number, limit: number): Promise<number>;
}

/** The ACME manager's slice: lease, shared certificate and account key (ClusterStore), and its own DNS-01 values. */
export interface AcmePort extends ClusterStore {
  /** Publishes one of the server's own DNS-01 values at `name` (lower-case FQDN, no dot) until `expiresAt`. */
  putChallenge(name: string, value: string, expiresAt: number): Promise<void>;
  /** Withdraws a value published by putChallenge. */
  removeChallenge(name: string, value: string): Promise<void>;
}

/** The readiness check's slice. */
export interface HealthPort {
  /** One cheap round trip (`SELECT 1`) for the readiness check; StoreUnavailableError when it fails. */
  ping(): Promise<void>;
}

/** What `acmedns import` writes through: the bulk insert, and reading back accounts that were there already. */
export interface ImportPort extends Pick<AccountStore, 'findAccount'> {
  /**
   * Bulk insert in one transaction (import, benchmarks): new accounts are created, existing
   * usernames are left unchanged; TXT values are added unless already present. With `audit`,
   * each account created gets an `account.imported` entry in the same transaction (none for
   * accounts that were there already, so a re-run adds no entries).
   */
  importAccounts(entries: readonly ImportEntry[], audit?: AuditContext): Promise<ImportResult>;
}

/** The management commands' slice (`acmedns accounts`, `acmedns audit`): account actions, the views, live values. */
export type OperatorPort = AccountStore & AdminPort & Pick<ZoneReads, 'lookup'> & TsigKeyPort & TxtUpdatePort;

/** The account-management half each engine builds beside its core (admin.ts): the views and the changes by username. */
export type AccountAdmin = AdminPort & Pick<AccountStore, 'deleteAccount' | 'setPasswordHash' | 'setAllowFrom' | 'clearTxt'>;

/**
 * Persistent state behind the DNS server and the API: every slice above, and closing. One
 * contract, several implementations (SQLite, PostgreSQL); every implementation passes
 * test/store-contract. Only what opens a store (the daemon, the CLI) holds all of it.
 */
export interface Store
  extends ZoneReads,
    AccountStore,
    AdminPort,
    AcmePort,
    HealthPort,
    ImportPort,
    ZoneJournalPort,
    TsigKeyPort,
    TxtUpdatePort,
    DnssecKeyPort {
  /** Releases connections and file handles. */
  close(): Promise<void>;
}

/** What the accounts service uses: the account writes, and the live values it reads back. */
export type AccountsStore = AccountStore & Pick<ZoneReads, 'lookup'> & TsigKeyPort & TxtUpdatePort;
