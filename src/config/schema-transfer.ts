/**
 * `[transfer]` -> its slice: zone transfers (AXFR RFC 5936, IXFR RFC 1995) and NOTIFY (RFC 1996)
 * to standard secondaries (ours; acme-dns has none). Off until a secondary or an allowed range is
 * named: nobody may transfer by default.
 */
import { DEFAULT_TSIG_ALGORITHM, TSIG_ALGORITHM_NAMES } from '../core/tsig-algorithms';
import { cidrList, duration, int, oneOf, parsedText, section, stringList, text } from './fields';
import { parseSecondary, parseTsigSecret, type Secondary } from './values-transfer';

const secretOrEmpty = parsedText(
  (v: string) => (v.trim() === '' ? { ok: true as const, value: '' } : parseTsigSecret(v)),
  'a base64 string',
);

const transferKeys = {
  // NOTIFY targets, each also allowed to transfer: "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53".
  secondaries: stringList('a list of addresses ("192.0.2.53", "[2001:db8::53]:5353")').transform((items, ctx) =>
    items.map((item): Secondary => {
      const parsed = parseSecondary(item);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', input: item, message: parsed.reason });
      return { host: '', port: 0, text: item };
    }),
  ).default([]),
  allow: cidrList().default([]),
  tsig_key: text().default(''),
  // core's table, so the transfer key takes exactly the algorithms dns/tsig signs and verifies with.
  tsig_algorithm: oneOf(TSIG_ALGORITHM_NAMES, { empty: DEFAULT_TSIG_ALGORITHM }).default(DEFAULT_TSIG_ALGORITHM),
  tsig_secret: secretOrEmpty.default(''),
  // Knot keeps 20 MB of journal by default; 1000 changes cover a day of a busy instance (one
  // change per /update) and stay small (two rows per change).
  journal_size: int(1, 1_000_000).default(1000),
  // A NOTIFY not answered is sent again after this, doubling each time up to notify_retry_max
  // (RFC 1996 §3.6 leaves the interval to us; BIND retries after 15 s, Knot's timeout is 5 s).
  notify_retry: duration(1, 3600).default(2),
  notify_retry_max: duration(1, 86400).default(60),
  // How often the serial is read to notify changes made elsewhere (another instance, the CLI).
  notify_poll: duration(1, 3600).default(2),
  // Expired values are removed (and the serial bumped) at the second they expire (issue 10), planned
  // from the store after each change the serial shows; this is the longest time between two sweeps,
  // for values no serial read saw arrive. It was the sweep's period (1 s), and each sweep woke the
  // process that answers DNS (issue 12).
  expiry_interval: duration(1, 3600).default(60),
};

/** The `[transfer]` section's schema. */
export const transferSection = section('transfer', transferKeys)
  .superRefine((t, ctx) => {
    // All three or none: a key without a secret (or the reverse) would silently leave transfers open.
    const given = [t.tsig_key.trim() !== '', t.tsig_secret !== ''];
    if (given[0] !== given[1]) {
      const missing = given[0] ? 'tsig_secret' : 'tsig_key';
      ctx.addIssue({ code: 'custom', path: [missing], input: undefined, message: 'is required when tsig_key or tsig_secret is set (both, or neither)' });
    }
    if (t.notify_retry_max < t.notify_retry) {
      ctx.addIssue({ code: 'custom', path: ['notify_retry_max'], input: t.notify_retry_max, message: `must be at least notify_retry (${t.notify_retry} s)` });
    }
  })
  .transform((t) => ({
    /** NOTIFY targets (RFC 1996), each also allowed to transfer. */
    secondaries: t.secondaries,
    /** Further CIDRs allowed to transfer (no NOTIFY), normalised. */
    allow: t.allow,
    /** The transfer key: when set, every transfer must be signed with it and NOTIFY is signed with it. */
    tsig:
      t.tsig_key.trim() === ''
        ? undefined
        : { name: t.tsig_key.trim().toLowerCase().replace(/\.$/, ''), algorithm: t.tsig_algorithm, secret: t.tsig_secret },
    /** Journal steps kept for IXFR; older secondaries get a full transfer. */
    journalSize: t.journal_size,
    /** First NOTIFY retry after this many seconds, doubling up to notifyRetryMaxSeconds. */
    notifyRetrySeconds: t.notify_retry,
    notifyRetryMaxSeconds: t.notify_retry_max,
    /** Seconds between reads of the serial (changes made by other instances and the CLI). */
    notifyPollSeconds: t.notify_poll,
    /** Seconds between sweeps of expired values. */
    expiryIntervalSeconds: t.expiry_interval,
  }));
