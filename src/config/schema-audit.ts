/** `[audit]` -> its slice: how long the audit trail keeps its entries (ours; acme-dns has no trail). */
import { duration, section } from './fields';

/** A hundred years: "forever" is spelled 0; beyond this the cutoff arithmetic only gets silly. */
const RETENTION_MAX = 36_500 * 86400;

const auditKeys = {
  // 90 days answers "who changed this account last quarter" while an account looping updates
  // (~205 bytes per entry) cannot grow the database without bound. 0 keeps every entry.
  retention: duration(0, RETENTION_MAX).default(90 * 86400),
};

/** The `[audit]` section's schema. */
export const auditSection = section('audit', auditKeys).transform((a) => ({
  /** Entries older than this many seconds are pruned in the background; 0 keeps them forever. */
  retentionSeconds: a.retention,
}));
