/** The PostgreSQL store, for several instances sharing one database (store.ts builds it from the parts beside it). */
export { openPostgresStore, type PostgresStoreOptions } from './store';
export { loadPg, type PostgresPoolOptions } from './pool';
export { AcmeDnsPostgresDatabaseError } from './open';
export { parsePostgresConnection, describeConnection, toClientConfig } from './connection';
export { scrub } from './errors';
