/**
 * Column values of an acme-dns database as the drivers hand them over: text may come as a string
 * or (SQLite BLOB, Go's []byte) as a Buffer, and a bcrypt hash may be wrapped in a bytea literal.
 */

/** What a bcrypt hash looks like ($2a$ from Go, $2b$/$2y$/$2x$ from other writers, cost, 53 characters). */
export const BCRYPT = /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Column text: SQLite hands BLOBs (Go's []byte) as Buffers, PostgreSQL TEXT as strings. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/**
 * The bcrypt hash as stored. A BLOB (SQLite) is its UTF-8 bytes; should a driver ever have written
 * the bytes as a PostgreSQL bytea literal (`\x2432...`) into the TEXT column, that is decoded too.
 */
export function passwordHash(v: unknown): string {
  const s = text(v) ?? '';
  if (/^\\x(?:[0-9a-fA-F]{2})+$/.test(s)) {
    const decoded = Buffer.from(s.slice(2), 'hex').toString('utf8');
    if (BCRYPT.test(decoded)) return decoded;
  }
  return s;
}
