/**
 * `acmedns dnssec rollover`: takes the next step of the CSK rollover (dns/dnssec/rollover.ts
 * decides it) and stores it by compare-and-set on the version read, so two runs at once (or a run
 * racing another instance) cannot both apply. The parent's DS is asked of `--resolver`.
 */
import type { ExchangeTarget } from '../../dns/client/exchange';
import { queryParentDs } from '../../dns/client/ds-query';
import { generatePrivateKeyPem, rolloverStep, serializeKeysetDocument, type ParentDs } from '../../dns/dnssec';
import type { Out } from '../output';
import { keyViews, rolloverView } from './key-view';
import { currentKeyset, rolloverTiming, type DnssecContext } from './keyset-store';

/** What `rollover` was asked. */
export interface RolloverOptions {
  readonly json: boolean;
  readonly force: boolean;
  readonly resolver: ExchangeTarget | undefined;
}

/** The warning a forced run prints first, on stderr, whatever the outcome. */
const FORCE_WARNING =
  'acmedns: WARNING: --force takes the step without checking the parent or the waiting times.\n' +
  'acmedns: WARNING: if a cache still holds a DS or a DNSKEY RRset the step invalidates, validators will find the zone BOGUS until it expires.\n';

/** The parent's DS; unreachable is an error unless forced (a forced step does not need it). */
async function askParent(apex: string, options: RolloverOptions): Promise<ParentDs | undefined> {
  if (options.resolver === undefined) return undefined;
  try {
    return await queryParentDs(apex, options.resolver);
  } catch (err) {
    if (options.force) return undefined;
    throw err;
  }
}

/** Takes the next step; a refused step prints what is missing and sets exit code 1; a lost race throws. */
export async function runRollover(context: DnssecContext, out: Out, options: RolloverOptions, nowSeconds: number): Promise<void> {
  if (options.force) process.stderr.write(FORCE_WARNING);
  const apex = context.zone.apex;
  const { version, document } = await currentKeyset(context, nowSeconds);
  const parentDs = await askParent(apex, options);
  const result = rolloverStep({
    apex,
    document,
    now: nowSeconds,
    parentDs,
    timing: rolloverTiming(context),
    force: options.force,
    generateKey: generatePrivateKeyPem,
  });
  if (result.kind === 'refuse') {
    process.exitCode = 1;
    if (options.json) await out(`${JSON.stringify({ result: 'refused', reason: result.reason, instructions: result.instructions })}\n`);
    else await out([`refused: ${result.reason}`, ...result.instructions].map((l) => `${l}\n`).join(''));
    return;
  }
  if (!(await context.store.replaceDnssecKeyset(version, serializeKeysetDocument(result.document)))) {
    throw new Error('the key set changed while this step was decided (another rollover run, or a server claiming it): nothing was changed; run the command again');
  }
  if (options.json) {
    const view = { result: 'applied', step: result.step, messages: result.messages, keys: keyViews(result.document), ...rolloverView(apex, result.document) };
    await out(`${JSON.stringify(view)}\n`);
  } else {
    const keysChanged = result.step === 'start' || result.step === 'old-key-removed';
    const pickUp = keysChanged ? ['running servers sign with the new key set within [dnssec] key_poll'] : [];
    await out([...result.messages, ...pickUp].map((l) => `${l}\n`).join(''));
  }
}
