/**
 * `acmedns audit`: the audit trail, oldest first, optionally of one account and within a time
 * window. Read straight from the store, so it works while the server runs.
 */
import { parseUuid } from '../../core/uuid';
import type { AuditQuery } from '../../store';
import { AUDIT_HEADER, auditJson, auditRow, parseTimeArg } from '../accounts';
import { HELP, type Command, type Request } from '../command';
import { MANAGEMENT_OPTIONS, parseCommandLine, refuseOptions, unexpectedArgument } from '../command-line';
import { withStore } from '../configured-store';
import { stdoutOut, type Out } from '../output';

/** A parsed `acmedns audit ...`. */
export interface AuditArgs {
  readonly configFile: string | undefined;
  readonly account?: string;
  readonly since?: string;
  readonly until?: string;
  readonly json: boolean;
}

/** Entries fetched per page (keyset pagination by id). */
const PAGE = 1000;

/** Runs `acmedns audit`, writing the entries to `out`. */
export async function runAudit(args: AuditArgs, out: Out, nowMs = Date.now()): Promise<void> {
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

function parse(argv: readonly string[]): Request<AuditArgs> {
  const { values, operands } = parseCommandLine(argv, MANAGEMENT_OPTIONS);
  if (values.help === true) return HELP;
  refuseOptions(values, ['account', 'since', 'until'], 'audit');
  const extra = operands[0];
  if (extra !== undefined) throw unexpectedArgument(extra, ' (audit takes --account, --since, --until)');
  const { config: configFile, account, since, until } = values;
  return {
    kind: 'run',
    args: {
      configFile,
      json: values.json ?? false,
      ...(account !== undefined ? { account } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    },
  };
}

/** `acmedns audit`; its help is the account management section (with accounts), as it always was. */
export const auditCommand: Command<AuditArgs> = {
  name: 'audit',
  section: 'account management',
  overview:
    '  audit [--account USERNAME] [--since T] [--until T] [--json]\n' +
    '                                              changes, oldest first; T: ISO time (UTC unless it has\n' +
    '                                              an offset) or a duration ago (30m, 24h, 7d, 1h30m)\n',
  options: MANAGEMENT_OPTIONS,
  parse,
  run: (args) => runAudit(args, stdoutOut()),
};
