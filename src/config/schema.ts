/**
 * The one schema: the lower-cased TOML document (after environment overrides) -> Config without
 * its warnings. `[database]`, `[logconfig]` and `[txt]` live here; the other sections have files
 * of their own. Each key is declared once, here: types.ts infers the slices' types from these
 * schemas and keys.ts reads the key names and their env coercion from their shapes.
 */
import { z } from 'zod';
import { duration, expected, int, oneOf, parsedText, section, text } from './fields';
import { generalSection } from './schema-general';
import { apiSection } from './schema-api';
import { metricsSection, rateLimitSection } from './schema-ops';
import { rrlSection } from './schema-rrl';
import { auditSection } from './schema-audit';
import { transferSection } from './schema-transfer';
import { dnssecSection } from './schema-dnssec';
import type { Parsed } from './values';

const nonEmpty = (v: string): Parsed<string> =>
  v.trim() === '' ? { ok: false, reason: 'must not be empty' } : { ok: true, value: v };

const databaseKeys = {
  // v1 says sqlite3, v2 sqlite (acme-dns #401: v2.0 crashed on "sqlite3"); both mean SQLite.
  engine: oneOf(['sqlite', 'postgres'], {
    aliases: { sqlite3: 'sqlite', postgresql: 'postgres' },
    hint: ' (sqlite or postgres)',
  }),
  // Relative SQLite paths resolve against the working directory, as in acme-dns.
  connection: parsedText(nonEmpty, 'a string', ' (a SQLite file path or a postgres:// URL)'),
};

const databaseSection = section('database', databaseKeys).transform((d) => ({
  engine: d.engine,
  /** SQLite file path, or a PostgreSQL URL / DSN. */
  connection: d.connection,
}));

const logKeys = {
  // acme-dns v2 (zap) knows dpanic/panic/fatal; they only ever log at error level here. Its own
  // sample documents "warning", which v2 rejects; we accept it.
  loglevel: oneOf(['debug', 'info', 'warn', 'error'], {
    aliases: { warning: 'warn', dpanic: 'error', panic: 'error', fatal: 'error' },
    empty: 'info',
  }).default('info'),
  logtype: oneOf(['stdout', 'file'], { empty: 'stdout' }).default('stdout'),
  logfile: text().default(''),
  // v2 calls its text encoder "console".
  logformat: oneOf(['text', 'json'], { aliases: { console: 'text' }, empty: 'text' }).default('text'),
};

const logSection = section('logconfig', logKeys)
  .superRefine((l, ctx) => {
    if (l.logtype === 'file' && l.logfile.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['logfile'], input: l.logfile, message: 'is required when logtype = "file"' });
    }
  })
  .transform((l) => ({ level: l.loglevel, format: l.logformat, type: l.logtype, file: l.logfile }));

/** Ten years: long enough for "never mind", short enough that expiry arithmetic stays sane. */
const MAX_AGE_LIMIT = 3650 * 86400;

const txtKeys = {
  // acme-dns keeps 2, too few for three or more names sharing one account (its #110, #318).
  keep: int(1, 100).default(4),
  // 0 keeps values until they are rotated out by `keep`.
  max_age: duration(0, MAX_AGE_LIMIT).default(7 * 86400),
};

const txtSection = section('txt', txtKeys).transform((t) => ({ keep: t.keep, maxAgeSeconds: t.max_age }));

/** Every section by its TOML name: the one list of sections and (in their shapes) keys. */
export const SECTIONS = {
  general: generalSection,
  database: databaseSection,
  api: apiSection,
  logconfig: logSection,
  txt: txtSection,
  metrics: metricsSection,
  ratelimit: rateLimitSection,
  rrl: rrlSection,
  audit: auditSection,
  transfer: transferSection,
  dnssec: dnssecSection,
};

/** The whole document's schema; unknown sections and keys are stripped (and warned about elsewhere). */
export const configSchema = z
  .object(SECTIONS, { error: expected('a TOML document') })
  .superRefine(({ dnssec, transfer }, ctx) => {
    // Issue 11, out of scope: our transfers carry the zone unsigned (no RRSIG, NSEC or DNSKEY), so
    // a secondary serving it beside a DS at the parent would answer bogus. Refused until they are signed.
    if (dnssec.enabled && (transfer.secondaries.length > 0 || transfer.allow.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dnssec', 'enabled'],
        input: dnssec.enabled,
        message:
          'must be false while [transfer] has secondaries or allow set: zone transfers carry the zone unsigned, which ' +
          'would not validate on a secondary (signed transfers are not supported); turn DNSSEC off or remove the secondaries',
      });
    }
  })
  .transform(({ general, database, api, logconfig, txt, metrics, ratelimit, rrl, audit, transfer, dnssec }) => ({
    dns: general,
    api,
    database,
    txt,
    log: logconfig,
    metrics,
    ratelimit,
    rrl,
    audit,
    transfer,
    dnssec,
  }));
