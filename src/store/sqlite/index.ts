/** The SQLite store: one file through better-sqlite3 (store.ts builds it from the parts beside it). */
export { openSqliteStore, type SqliteStoreOptions } from './store';
