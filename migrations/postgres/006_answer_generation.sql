-- PostgreSQL only (SQLite's cache validates with PRAGMA data_version instead): a counter that every
-- committed write which can change a DNS answer adds one to, in the write's own transaction, so
-- each instance's read cache (src/store/postgres/reads.ts) can tell with one cheap read whether
-- anything it holds may have changed. The serial is not enough: it steps only for zone content,
-- and an account created or deleted without values, a refreshed value's time or an own challenge's
-- new expiry change answers (NXDOMAIN <-> NODATA, ages) without being content. On the serial's row,
-- so that a content change bumps both in its one UPDATE and the lock order stays "serial row last".
ALTER TABLE zone_state ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
