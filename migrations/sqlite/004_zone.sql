-- Issue 10: the zone's serial and journal (zone transfers, RFC 1995 and RFC 5936) and the TSIG
-- keys of accounts (RFC 2136 updates signed per RFC 8945).

-- The zone's SOA serial: one row. It starts at the serial the server served before (acme-dns's
-- YYYYMMDDHH of the time, in UTC), so nobody who saw that one sees the serial go backwards; every
-- change of the zone's content adds one, modulo 2^32 (RFC 1982 §3.1), in the change's transaction.
CREATE TABLE zone_state (
  id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  serial INTEGER NOT NULL
);
INSERT INTO zone_state (id, serial) VALUES (1, CAST(strftime('%Y%m%d%H', 'now') AS INTEGER));

-- One version per serial step. Ordered by id, not by serial: serials wrap around, ids do not
-- (AUTOINCREMENT: an id is never reused, even after pruning removed every version).
CREATE TABLE zone_versions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  from_serial INTEGER NOT NULL,
  to_serial   INTEGER NOT NULL,
  at          INTEGER NOT NULL -- Unix seconds
);
-- IXFR starts at the version whose from_serial is the secondary's serial.
CREATE INDEX zone_versions_by_from ON zone_versions (from_serial);

-- What each version changed. name is the subdomain key of an account value (own = 0; the store
-- appends the zone when it reads) or the full name of the server's own challenge (own = 1).
CREATE TABLE zone_changes (
  id         INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL,
  op         TEXT    NOT NULL CHECK (op IN ('add', 'del')),
  name       TEXT    NOT NULL,
  own        INTEGER NOT NULL,
  value      TEXT    NOT NULL
);
CREATE INDEX zone_changes_by_version ON zone_changes (version_id);

-- Expiry (values older than txt.max_age leave the zone) finds them without a scan.
CREATE INDEX txt_values_by_age ON txt_values (updated_at);

-- TSIG keys: name (lower-case, no final dot) unique across the store; the secret (base64) is kept
-- because the server computes the HMAC. Deleting an account deletes its keys in the same transaction.
CREATE TABLE tsig_keys (
  name       TEXT    NOT NULL PRIMARY KEY,
  username   TEXT    NOT NULL,
  algorithm  TEXT    NOT NULL,
  secret     TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX tsig_keys_by_account ON tsig_keys (username, created_at);
