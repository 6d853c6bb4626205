import type { DatabaseConfig } from '../config/types';
import type { TxtPolicy } from '../core/types';
import type { Logger } from '../log';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './types';

export type {
  Store,
  ZoneReads,
  AccountStore,
  AccountsStore,
  AdminPort,
  AcmePort,
  HealthPort,
  ImportPort,
  OperatorPort,
  AccountAdmin,
  ImportEntry,
  ImportResult,
} from './types';
export type {
  AccountPage,
  AccountSummary,
  AuditAction,
  AuditActor,
  AuditContext,
  AuditEntry,
  AuditQuery,
} from './admin-types';
export type { ClusterStore, StoredCertificate } from './cluster-types';
export type { DnssecKeyPort, StoredKeyset } from './dnssec-types';
export { openSqliteStore } from './sqlite';
export {
  startAuditRetention,
  pruneAuditBefore,
  AUDIT_PRUNE_BATCH,
  type AuditRetention,
  type AuditRetentionTiming,
} from './audit-retention';
export { AcmeDnsDatabaseError } from './migrations';
export {
  openPostgresStore,
  loadPg,
  type PostgresStoreOptions,
  type PostgresPoolOptions,
  AcmeDnsPostgresDatabaseError,
  parsePostgresConnection,
  describeConnection,
  toClientConfig,
  scrub,
} from './postgres';

/** How the opening process uses the store. */
export interface StoreRole {
  /**
   * False in a process that answers no DNS (the primary of DNS workers, the CLI): SQLite then keeps
   * no in-memory index of every account for its few lookups. Default true.
   */
  readonly servesDns?: boolean;
}

/**
 * Opens the store the configuration names (`zone`: dns.domain, the apex its journal names records
 * under); the one place that picks an implementation. The logger
 * receives connection losses and retries (PostgreSQL) and file modes open to others (SQLite).
 */
export async function openStore(database: DatabaseConfig, txt: TxtPolicy, zone: string, logger?: Logger, role: StoreRole = {}): Promise<Store> {
  switch (database.engine) {
    case 'sqlite':
      return openSqliteStore({ file: database.connection, txt, zone, ...(logger ? { logger } : {}), accountIndex: role.servesDns !== false });
    case 'postgres':
      return openPostgresStore({ connection: database.connection, txt, zone, ...(logger ? { logger } : {}) });
  }
}
