-- Issue 11: the zone's DNSSEC key set (RFC 4033). One row per zone (the apex, dns.domain, as the
-- store was opened with): a JSON document holding the keys with their private PEM and the state of
-- a rollover, and a version that every replacement adds one to (compare-and-set: of two rollover
-- steps taken at once, one applies). Every instance on the database signs with these keys.
-- The private keys below live in the database: protect it (file mode 0600, backups) like a key file.
CREATE TABLE dnssec_keysets (
  zone       TEXT    NOT NULL PRIMARY KEY,
  version    INTEGER NOT NULL,
  document   TEXT    NOT NULL,
  updated_at INTEGER NOT NULL -- Unix seconds
);
