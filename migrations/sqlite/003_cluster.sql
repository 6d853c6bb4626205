-- What instances sharing the database coordinate through for the API's own certificate.
-- The private keys below live in the database: protect it (file mode 0600, backups) like a key file.

-- Leases: one holder at a time per name (the certificate order), until expires_at (Unix seconds);
-- taken over once expired, so a crashed holder blocks nobody for longer than its ttl.
CREATE TABLE leases (
  name       TEXT    NOT NULL PRIMARY KEY,
  holder     TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
);

-- The certificate one instance ordered, for every instance to serve; name = CA directory and the
-- sorted names. not_after (Unix milliseconds) lets an instance see a newer one without parsing.
CREATE TABLE certificates (
  name       TEXT    NOT NULL PRIMARY KEY,
  cert_pem   TEXT    NOT NULL,
  key_pem    TEXT    NOT NULL,
  not_after  INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One ACME account key per CA directory URL, shared by every instance.
CREATE TABLE acme_accounts (
  directory  TEXT    NOT NULL PRIMARY KEY,
  key_pem    TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
