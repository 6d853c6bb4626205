-- Issue 12: what the DNS reads' in-memory filter of account names (src/store/sqlite/account-filter.ts)
-- needs to stay exact whichever process writes the file (the server, `acmedns accounts`, `acmedns
-- import`, another instance, the sqlite3 shell): every account change is seen through this row, not
-- through a hook in one process. A reader that knows every account up to rowid `high` needs only
-- the rows above it after a commit, unless a row took a rowid at or below `high` (SQLite gives
-- max(rowid) + 1, so after the newest accounts are deleted their rowids come round again; VACUUM
-- may renumber a table without an INTEGER PRIMARY KEY) or changed its name: `reused` counts those,
-- and the reader rebuilds when it moves. Deletions alone change nothing here: a deleted name left
-- in the filter is a false positive, answered from SQLite.
CREATE TABLE accounts_state (
  id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  -- Random per database: another database written into this file (a restore) is seen as such.
  epoch  BLOB    NOT NULL,
  high   INTEGER NOT NULL, -- the highest rowid any account has had
  reused INTEGER NOT NULL  -- accounts given a rowid at or below `high`, or renamed / renumbered
);
INSERT INTO accounts_state (id, epoch, high, reused) VALUES (1, randomblob(16), coalesce((SELECT max(rowid) FROM accounts), 0), 0);

-- In an UPDATE the right-hand sides read the row before it changes: `reused` compares with the old high.
CREATE TRIGGER accounts_state_insert AFTER INSERT ON accounts BEGIN
  UPDATE accounts_state SET reused = reused + (NEW.rowid <= high), high = max(high, NEW.rowid) WHERE id = 1;
END;

CREATE TRIGGER accounts_state_rename AFTER UPDATE ON accounts
WHEN NEW.rowid <> OLD.rowid OR NEW.subdomain_key IS NOT OLD.subdomain_key BEGIN
  UPDATE accounts_state SET reused = reused + 1, high = max(high, NEW.rowid) WHERE id = 1;
END;
