-- The same tables as migrations/sqlite/001_init.sql, in PostgreSQL's types. Applied once, in one
-- transaction, under an advisory lock (src/store/postgres-open.ts).

-- Accounts: the credentials a client holds and the one name it may update.
-- subdomain keeps the spelling it was registered with (acme-dns compares it exactly on /update);
-- subdomain_key is its lower-case form, by which DNS looks it up (names match case-insensitively).
CREATE TABLE accounts (
  username      TEXT   NOT NULL PRIMARY KEY,
  password_hash TEXT   NOT NULL,
  subdomain     TEXT   NOT NULL,
  subdomain_key TEXT   NOT NULL UNIQUE,
  allowfrom     TEXT   NOT NULL DEFAULT '[]',
  created_at    BIGINT NOT NULL
);

-- TXT values: any number per account (the policy prunes them); posting a value again refreshes it.
-- The identity id orders values written in the same second by arrival.
CREATE TABLE txt_values (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subdomain_key TEXT   NOT NULL,
  value         TEXT   NOT NULL,
  updated_at    BIGINT NOT NULL,
  UNIQUE (subdomain_key, value)
);

-- The DNS hot path: newest values of one name.
CREATE INDEX txt_values_by_name_age ON txt_values (subdomain_key, updated_at DESC, id DESC);

-- The server's own DNS-01 challenges (its API certificate), by full lower-case name. In the store,
-- not in memory, so every instance sharing the database answers whichever one the CA asks.
CREATE TABLE challenges (
  name       TEXT   NOT NULL,
  value      TEXT   NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (name, value)
);
