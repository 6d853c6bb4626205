-- The same tables as migrations/sqlite/004_zone.sql, in PostgreSQL's types: the zone's serial and
-- journal (zone transfers, RFC 1995 and RFC 5936) and the TSIG keys of accounts (RFC 8945).

-- The zone's SOA serial: one row, shared by every instance. It starts at the serial the server
-- served before (acme-dns's YYYYMMDDHH, UTC), so it never goes backwards for anybody who saw that
-- one; every change of the zone's content adds one modulo 2^32 (RFC 1982 §3.1) with
-- UPDATE ... RETURNING in the change's transaction: the row lock orders the bumps of all instances.
CREATE TABLE zone_state (
  id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  serial BIGINT  NOT NULL
);
INSERT INTO zone_state (id, serial) VALUES (1, to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDDHH24')::bigint);

-- One version per serial step, ordered by id (serials wrap around, identities do not).
CREATE TABLE zone_versions (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_serial BIGINT NOT NULL,
  to_serial   BIGINT NOT NULL,
  at          BIGINT NOT NULL -- Unix seconds
);
CREATE INDEX zone_versions_by_from ON zone_versions (from_serial);

-- What each version changed: name is the subdomain key of an account value (own false; the store
-- appends the zone when it reads) or the full name of the server's own challenge (own true).
CREATE TABLE zone_changes (
  id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version_id BIGINT  NOT NULL,
  op         TEXT    NOT NULL CHECK (op IN ('add', 'del')),
  name       TEXT    NOT NULL,
  own        BOOLEAN NOT NULL,
  value      TEXT    NOT NULL
);
CREATE INDEX zone_changes_by_version ON zone_changes (version_id);

-- Expiry (values older than txt.max_age leave the zone) finds them without a scan.
CREATE INDEX txt_values_by_age ON txt_values (updated_at);

-- TSIG keys: name (lower-case, no final dot) unique across the store; the secret (base64) is kept
-- because the server computes the HMAC. Deleting an account deletes its keys in the same transaction.
CREATE TABLE tsig_keys (
  name       TEXT   NOT NULL PRIMARY KEY,
  username   TEXT   NOT NULL,
  algorithm  TEXT   NOT NULL,
  secret     TEXT   NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX tsig_keys_by_account ON tsig_keys (username, created_at);
