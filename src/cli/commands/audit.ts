/**
 * `acmedns audit`: the audit trail, oldest first, optionally of one account and within a time
 * window. Read straight from the store, so it works while the server runs.
 */
import { parseUuid } from '../../core/uuid';
import type { AuditQuery } from '../../store';
import type { AuditArgs } from './accounts';
import { AUDIT_HEADER, auditJson, auditRow } from '../accounts/format';
import { withStore, type Out } from '../configured-store';
import { parseTimeArg } from '../accounts/audit-time';

/** Entries fetched per page (keyset pagination by id). */
const PAGE = 1000;

/** Runs `acmedns audit`, writing the entries to `out`. */
export async function auditCommand(args: AuditArgs, out: Out, nowMs = Date.now()): Promise<void> {
  // Parsed before the store is opened, so a typo costs nothing.
  const since = args.since === undefined ? undefined : parseTimeArg('--since', args.since, nowMs);
  const until = args.until === undefined ? undefined : parseTimeArg('--until', args.until, nowMs);
  await withStore(args.configFile, async (store) => {
    let username: string | undefined;
    if (args.account !== undefined) {
      // A live account may be named by its subdomain too; a deleted one only by its username.
      const canonical = parseUuid(args.account) ?? args.account;
      username = (await store.describeAccount(canonical))?.username ?? canonical;
    }
    const filter: Omit<AuditQuery, 'limit'> = {
      ...(username !== undefined ? { username } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    };
    await out(args.json ? '[' : `${AUDIT_HEADER}\n`);
    let afterId: number | undefined;
    let first = true;
    for (;;) {
      const page = await store.listAudit({ ...filter, ...(afterId !== undefined ? { afterId } : {}), limit: PAGE });
      if (page.length === 0) break;
      const lines = page.map((e) => (args.json ? JSON.stringify(auditJson(e)) : auditRow(e)));
      await out(args.json ? `${first ? '\n' : ',\n'}${lines.join(',\n')}` : `${lines.join('\n')}\n`);
      first = false;
      afterId = page[page.length - 1]?.id;
    }
    if (args.json) await out(first ? ']\n' : '\n]\n');
  });
}
