/**
 * `acmedns dnssec status`: the zone, each key (tag, role, when made), where a rollover stands and
 * its next step with the earliest time, and with `--resolver` whether the parent's DS matches.
 */
import type { ExchangeTarget } from '../../dns/client/exchange';
import { queryParentDs } from '../../dns/client/ds-query';
import { dsMatchesKey, keysByRole, nextStep, parentHolds, parentKeys, parentMatch, timeText, type KeysetDocument, type ParentDs } from '../../dns/dnssec';
import type { Out } from '../output';
import { keyLines, keyViews, rolloverView } from './key-view';
import { currentKeyset, type DnssecContext } from './keyset-store';

/** The parent's DS as status reports it. */
export interface ParentView {
  readonly resolver: string;
  readonly result: 'match' | 'missing' | 'only-other-keys' | 'partial' | 'unreachable';
  /** Tags of our keys whose DS the parent holds. */
  readonly held: readonly number[];
  /** Tags of the DS records the parent holds that match none of our keys. */
  readonly others: readonly number[];
  readonly ttl?: number;
  readonly error?: string;
}

/** Asks the resolver and compares the parent's DS with the keys that belong there. */
export async function parentView(apex: string, document: KeysetDocument, resolver: ExchangeTarget): Promise<ParentView> {
  const where = `${resolver.host.includes(':') ? `[${resolver.host}]` : resolver.host}:${resolver.port}`;
  let parent: ParentDs;
  try {
    parent = await queryParentDs(apex, resolver);
  } catch (err) {
    return { resolver: where, result: 'unreachable', held: [], others: [], error: (err as Error).message };
  }
  const { active, incoming, retiring } = keysByRole(document);
  const ours = [...active, ...incoming, ...retiring].map((k) => k.key);
  const held = ours.filter((k) => parentHolds(apex, parent, k)).map((k) => k.tag);
  const others = parent.digests.filter((ds) => !ours.some((k) => dsMatchesKey(apex, k, ds))).map((ds) => ds.keyTag);
  return { resolver: where, result: parentMatch(apex, parent, parentKeys(document)), held, others, ttl: parent.ttl };
}

/** One line for the parent's DS. */
function parentLine(view: ParentView): string {
  const held = view.held.length > 0 ? `; holds the DS of ${view.held.join(', ')}` : '';
  const others = view.others.length > 0 ? `; DS of keys not ours: ${view.others.join(', ')}` : '';
  const what: Record<ParentView['result'], string> = {
    match: 'match',
    missing: 'missing: no DS at the parent, validators treat the zone as unsigned; publish what `acmedns dnssec ds` prints',
    'only-other-keys': 'only other keys: no DS at the parent matches our keys, validators find the zone BOGUS; publish what `acmedns dnssec ds` prints',
    partial: 'partial: the parent holds the DS of some of the keys that belong there, not all (see next)',
    unreachable: `unreachable: ${view.error ?? ''}`,
  };
  const ttl = view.ttl === undefined ? '' : `, TTL ${view.ttl} s`;
  return `parent DS    ${what[view.result]}${held}${others} (resolver ${view.resolver}${ttl})`;
}

/** Prints the status; exit code 1 when the parent's DS makes the zone bogus or the resolver did not answer. */
export async function runStatus(context: DnssecContext, out: Out, options: { json: boolean; resolver: ExchangeTarget | undefined }, nowSeconds: number): Promise<void> {
  const { document, version } = await currentKeyset(context, nowSeconds);
  const apex = context.zone.apex;
  const parent = options.resolver === undefined ? undefined : await parentView(apex, document, options.resolver);
  if (parent?.result === 'only-other-keys' || parent?.result === 'unreachable') process.exitCode = 1;
  if (options.json) {
    await out(`${JSON.stringify({ zone: apex, version, keys: keyViews(document), ...rolloverView(apex, document), parent: parent ?? null })}\n`);
    return;
  }
  const next = nextStep(apex, document);
  const rollover = document.rollover;
  const lines = [
    `zone         ${apex}`,
    ...keyLines(document),
    `rollover     ${rollover === undefined ? 'none' : `${rollover.phase} (started ${timeText(rollover.startedAt)})`}`,
    `next         ${next.action}`,
    ...(next.earliest === undefined ? [] : [`             not before ${timeText(next.earliest)}${next.earliest <= nowSeconds ? ' (now)' : ''}`]),
    ...next.instructions.map((l) => `             ${l}`),
    ...(parent === undefined ? [] : [parentLine(parent)]),
  ];
  await out(lines.map((l) => `${l}\n`).join(''));
}
