/**
 * The reads, written once for both engines: acme-dns created its tables with unquoted names, which
 * PostgreSQL folds to lower case and SQLite matches without regard to case, so the same text works
 * on both; the AS aliases give the driver lower-case keys either way.
 */
export const SOURCE_SQL = {
  dbVersion: "SELECT Value AS value FROM acmedns WHERE Name = 'db_version' LIMIT 1",
  countAccounts: 'SELECT count(*) AS n FROM records',
  countValues: "SELECT count(*) AS n FROM txt WHERE Value IS NOT NULL AND Value <> ''",
  caseCollisions:
    'SELECT Username AS username, Subdomain AS subdomain FROM records WHERE lower(Subdomain) IN ' +
    '(SELECT lower(Subdomain) FROM records GROUP BY lower(Subdomain) HAVING count(*) > 1)',
  // SQLite's two sides of the merge join (merge.ts), both in BINARY order of the subdomain.
  recordsBySubdomain:
    'SELECT Username AS username, Password AS password, Subdomain AS subdomain, AllowFrom AS allowfrom FROM records ORDER BY Subdomain',
  txtBySubdomain: 'SELECT Subdomain AS subdomain, Value AS value, LastUpdate AS lastupdate FROM txt ORDER BY Subdomain',
  // No foreign key ties txt to records (reference §6): rows of unknown subdomains are not joined.
  // In subdomain order, one account's rows are adjacent, and the store's indexes on the name fill
  // in order (on a million accounts, half the time of random order).
  rows:
    'SELECT r.Username AS username, r.Password AS password, r.Subdomain AS subdomain, r.AllowFrom AS allowfrom, ' +
    't.Value AS value, t.LastUpdate AS lastupdate ' +
    'FROM records r LEFT JOIN txt t ON t.Subdomain = r.Subdomain ORDER BY r.Subdomain',
} as const;
