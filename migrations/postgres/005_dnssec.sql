-- The same table as migrations/sqlite/005_dnssec.sql, in PostgreSQL's types: the zone's DNSSEC key
-- set (RFC 4033), one row per zone (the apex the store was opened with), a JSON document (keys with
-- their private PEM, the rollover's state) and a version that every replacement adds one to
-- (compare-and-set: of two rollover steps taken at once, one applies). Every instance on the
-- database signs with these keys. They live in the database: protect it (roles, backups) like a key file.
-- TEXT, not JSONB: the document is read back byte for byte and parsed (and validated) by the server.
CREATE TABLE dnssec_keysets (
  zone       TEXT   NOT NULL PRIMARY KEY,
  version    BIGINT NOT NULL,
  document   TEXT   NOT NULL,
  updated_at BIGINT NOT NULL -- Unix seconds
);
