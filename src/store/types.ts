import type { Account, NameData } from '../core/types';
import type { AccountAdmin, AuditContext } from './admin-types';
import type { ClusterStore } from './cluster-types';

// The parts (api, dns, acme) may import only this file of the store; the management types come with it.
export type * from './admin-types';
export type * from './cluster-types';

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

/**
 * Persistent state behind the DNS server and the API. One contract, several implementations
 * (SQLite, PostgreSQL); every implementation passes test/store-contract.
 * Failures to reach the database surface as StoreUnavailableError, duplicates as StoreConflictError.
 */
export interface Store extends AccountAdmin, ClusterStore {
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
  /** DNS lookup by subdomain (case-insensitive): undefined when no account has it. */
  lookup(subdomain: string, nowSeconds: number): Promise<NameData | undefined>;
  /** Publishes one of the server's own DNS-01 values at `name` (lower-case FQDN, no dot) until `expiresAt`. */
  putChallenge(name: string, value: string, expiresAt: number): Promise<void>;
  /** Withdraws a value published by putChallenge. */
  removeChallenge(name: string, value: string): Promise<void>;
  /** The own-challenge values live at `name` (lower-case FQDN, no trailing dot). */
  challengeValues(name: string, nowSeconds: number): Promise<readonly string[]>;
  /**
   * Bulk insert in one transaction (import, benchmarks): new accounts are created, existing
   * usernames are left unchanged; TXT values are added unless already present. With `audit`,
   * each account created gets an `account.imported` entry in the same transaction (none for
   * accounts that were there already, so a re-run adds no entries).
   */
  importAccounts(entries: readonly ImportEntry[], audit?: AuditContext): Promise<ImportResult>;
  /** One cheap round trip (`SELECT 1`) for the readiness check; StoreUnavailableError when it fails. */
  ping(): Promise<void>;
  /** Releases connections and file handles. */
  close(): Promise<void>;
}

/**
 * The store's account-changing methods, and the reads the account actions need: the port of
 * accounts/, the only part that changes accounts (DESIGN rule 8). Transports get the accounts
 * service instead, never these methods.
 */
export type AccountsStore = Pick<
  Store,
  'createAccount' | 'findAccount' | 'lookup' | 'putTxt' | 'removeTxt' | 'deleteAccount' | 'setPasswordHash' | 'setAllowFrom' | 'clearTxt'
>;
