-- The audit trail: one row per change of an account (created, value updated, values cleared,
-- deleted, password rotated, allowfrom changed), written in the same transaction as the change.
-- username and subdomain are copied, not referenced: entries outlive the account they describe.
-- detail is a small JSON object with non-secret particulars; never a password, hash or TXT value.
CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL, -- Unix milliseconds
  action    TEXT    NOT NULL,
  username  TEXT    NOT NULL,
  subdomain TEXT    NOT NULL,
  client    TEXT,
  actor     TEXT    NOT NULL,
  detail    TEXT
);

-- `acmedns audit --since/--until`, and `--account` (ordered by id within an account).
CREATE INDEX audit_by_time ON audit (at);
CREATE INDEX audit_by_account ON audit (username, id);
