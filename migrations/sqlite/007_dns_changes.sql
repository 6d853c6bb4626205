-- Issue 12: a log of the names whose DNS answer may have changed, written by triggers so every
-- writer counts (the server, `acmedns accounts`, `acmedns import`, another instance, the sqlite3
-- shell). The DNS reads hold every account and its newest values in memory
-- (src/store/sqlite/account-sync.ts); after a commit they re-read only the names logged since the
-- last row they saw. That row must still be there with the same tag: if it is not, the log was
-- pruned past the reader or another database was written into the file (a restore, an older
-- copy), and the reader rebuilds from the tables.
CREATE TABLE dns_changes (
  -- AUTOINCREMENT: a seq is never given twice, even after the newest rows are deleted.
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  subdomain_key TEXT    NOT NULL,
  -- Random per row (within 2^53, so it reads back exactly as a JavaScript number).
  tag           INTEGER NOT NULL DEFAULT (random() >> 11)
);
-- Never empty, so a reader always has a row to check its place against.
INSERT INTO dns_changes (subdomain_key) VALUES ('');

CREATE TRIGGER dns_changes_txt_insert AFTER INSERT ON txt_values BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (NEW.subdomain_key);
END;
CREATE TRIGGER dns_changes_txt_update AFTER UPDATE ON txt_values BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (OLD.subdomain_key);
  INSERT INTO dns_changes (subdomain_key) SELECT NEW.subdomain_key WHERE NEW.subdomain_key IS NOT OLD.subdomain_key;
END;
CREATE TRIGGER dns_changes_txt_delete AFTER DELETE ON txt_values BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (OLD.subdomain_key);
END;
CREATE TRIGGER dns_changes_account_insert AFTER INSERT ON accounts BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (NEW.subdomain_key);
END;
CREATE TRIGGER dns_changes_account_delete AFTER DELETE ON accounts BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (OLD.subdomain_key);
END;
CREATE TRIGGER dns_changes_account_rename AFTER UPDATE OF subdomain_key ON accounts
WHEN NEW.subdomain_key IS NOT OLD.subdomain_key BEGIN
  INSERT INTO dns_changes (subdomain_key) VALUES (OLD.subdomain_key);
  INSERT INTO dns_changes (subdomain_key) VALUES (NEW.subdomain_key);
END;

-- Small whatever is written: every 1,024th row drops all but the newest 4,096, so a bulk import of
-- 1,000,000 accounts leaves ~5,000 rows (a reader more than ~3,000 changes behind rebuilds).
CREATE TRIGGER dns_changes_prune AFTER INSERT ON dns_changes WHEN NEW.seq % 1024 = 0 BEGIN
  DELETE FROM dns_changes WHERE seq <= NEW.seq - 4096;
END;

-- The log replaces 006's filter of account names: its counters are no longer read, so no longer kept.
DROP TRIGGER accounts_state_insert;
DROP TRIGGER accounts_state_rename;
