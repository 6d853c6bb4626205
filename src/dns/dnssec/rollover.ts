/**
 * The CSK rollover by double signature (RFC 6781 §4.1.2, timeline of RFC 7583 §3.3): the new key
 * is published and signs beside the old one from the start (the signer signs with every key of the
 * document), so any DNSKEY RRset and any signature a cache holds validates with either DS. The
 * parent's DS moves in two edits (add the new, later remove the old) so that at every moment one
 * DS at the parent matches a key every cache holds:
 *   start -> await-new-ds: new key `incoming`; its DS may go to the parent once every cache that
 *     held our DNSKEY RRset or an RRset signed by the old key alone has let it expire
 *     (max(DNSKEY TTL, largest zone TTL) + propagation delay).
 *   -> await-old-ds-removal: the parent holds the new DS: new key `active`, old key `retiring`
 *     (still published and signing); the operator removes the old DS.
 *   -> the parent is first seen without the old DS: the old key may go once the cached DS RRset
 *     with the old DS has expired (DS TTL seen + propagation delay).
 *   -> old key removed, rollover over.
 * Pure: the time, what the parent holds and a key generator are given. A step whose precondition
 * is not met is refused with what is missing and what to do; `force` takes it anyway.
 */
import { dsLine, type DnssecAlgorithm } from './keys';
import { parentHolds, type ParentDs } from './parent-ds';
import { keysByRole, nextStep, RUN_AGAIN, timeText, type RolloverKey } from './rollover-guide';
import type { KeysetDocument, StoredZoneKey } from './types';

/** The times a rollover waits for, in seconds. */
export interface RolloverTiming {
  /** The DNSKEY RRset's TTL (`[dnssec] dnskey_ttl`). */
  readonly dnskeyTtl: number;
  /** The largest TTL the zone serves (records, SOA, TXT, negative answers, DNSKEY). */
  readonly maxZoneTtl: number;
  /** Time for a change to reach every server of the zone and the parent (`[dnssec] propagation_delay`). */
  readonly propagationDelay: number;
}

/** What a step is decided on. */
export interface RolloverInput {
  /** The zone's apex, lower-case without the final dot. */
  readonly apex: string;
  readonly document: KeysetDocument;
  /** Unix seconds. */
  readonly now: number;
  /** What the parent holds; undefined when not checked (no resolver named). */
  readonly parentDs: ParentDs | undefined;
  readonly timing: RolloverTiming;
  /** Take the step whatever the parent holds and however little time has passed. */
  readonly force: boolean;
  /** A new private key (PKCS#8 PEM) of `algorithm`; called only when a rollover starts. */
  readonly generateKey: (algorithm: DnssecAlgorithm) => string;
}

/** The step taken. */
export type RolloverStep = 'start' | 'new-ds-seen' | 'old-ds-gone' | 'old-ds-returned' | 'old-key-removed';

/** A step taken (the new document to store, and what to tell the operator) or refused. */
export type RolloverResult =
  | { readonly kind: 'apply'; readonly step: RolloverStep; readonly document: KeysetDocument; readonly messages: readonly string[] }
  | { readonly kind: 'refuse'; readonly reason: string; readonly instructions: readonly string[] };

/** The warning every forced step carries. */
const FORCED = 'FORCED: the parent and the waiting times were not checked; validators may find the zone bogus until caches expire';

function refuse(reason: string, instructions: readonly string[]): RolloverResult {
  return { kind: 'refuse', reason, instructions };
}

/** The document's keys, each key of `changes` given its new role or left out when `removed`. */
function withRoles(document: KeysetDocument, changes: ReadonlyMap<StoredZoneKey, StoredZoneKey['role'] | 'removed'>): KeysetDocument['keys'] {
  return document.keys.flatMap((k) => {
    const change = changes.get(k);
    if (change === undefined) return [k];
    return change === 'removed' ? [] : [{ ...k, role: change }];
  });
}

/** Takes the next step of the rollover (or starts one). */
export function rolloverStep(input: RolloverInput): RolloverResult {
  const { document, now } = input;
  const { active, incoming, retiring } = keysByRole(document);
  const rollover = document.rollover;
  const current = active[0];
  if (current === undefined || active.length > 1) return refuse(`the key set has ${active.length} active keys, not one`, []);

  if (rollover === undefined) {
    if (incoming.length + retiring.length > 0) return refuse('the key set has incoming or retiring keys but no rollover running', []);
    return start(input, current);
  }
  if (rollover.phase === 'await-new-ds') {
    const next = incoming[0];
    if (next === undefined || incoming.length > 1 || retiring.length > 0) return refuse('the key set does not match its rollover phase (await-new-ds)', []);
    return newDsSeen(input, current, next);
  }
  const old = retiring[0];
  if (old === undefined || retiring.length > 1 || incoming.length > 0) return refuse('the key set does not match its rollover phase (await-old-ds-removal)', []);
  return oldDsRemoval(input, current, old, now);
}

function start(input: RolloverInput, current: RolloverKey): RolloverResult {
  const { apex, document, now, timing } = input;
  const algorithm = current.stored.algorithm;
  const added: StoredZoneKey = { algorithm, privateKeyPem: input.generateKey(algorithm), createdAt: now, role: 'incoming' };
  const dsAllowedAt = now + Math.max(timing.dnskeyTtl, timing.maxZoneTtl) + timing.propagationDelay;
  const next: KeysetDocument = { keys: [...document.keys, added], rollover: { phase: 'await-new-ds', startedAt: now, dsAllowedAt } };
  const guide = nextStep(apex, next);
  const tag = keysByRole(next).incoming[0]?.key.tag;
  return {
    kind: 'apply',
    step: 'start',
    document: next,
    messages: [`rollover started: the new key ${tag ?? '?'} is published beside key ${current.key.tag} and both sign every answer`, ...guide.instructions],
  };
}

function newDsSeen(input: RolloverInput, current: RolloverKey, next: RolloverKey): RolloverResult {
  const { apex, document, now, parentDs, force } = input;
  const rollover = document.rollover;
  if (rollover?.phase !== 'await-new-ds') throw new Error('not in await-new-ds');
  const guide = nextStep(apex, document).instructions;
  if (!force) {
    if (now < rollover.dsAllowedAt) {
      return refuse(`too early: caches may hold our DNSKEY RRset without the new key ${next.key.tag} until ${timeText(rollover.dsAllowedAt)}`, guide);
    }
    if (parentDs === undefined) return refuse(`the parent's DS was not checked: name a resolver with --resolver HOST:PORT`, guide);
    if (!parentHolds(apex, parentDs, next.key)) return refuse(`the parent does not hold the DS of the new key ${next.key.tag} yet`, guide);
  }
  const keys = withRoles(document, new Map([[next.stored, 'active'], [current.stored, 'retiring']]));
  const after: KeysetDocument = { keys, rollover: { phase: 'await-old-ds-removal', startedAt: rollover.startedAt, stepAt: now } };
  return {
    kind: 'apply',
    step: 'new-ds-seen',
    document: after,
    messages: [
      ...(force ? [FORCED] : []),
      `the new key ${next.key.tag} is now the active key; key ${current.key.tag} is retiring (still published and signing)`,
      ...nextStep(apex, after).instructions,
    ],
  };
}

function oldDsRemoval(input: RolloverInput, current: RolloverKey, old: RolloverKey, now: number): RolloverResult {
  const { apex, document, parentDs, force, timing } = input;
  const rollover = document.rollover;
  if (rollover?.phase !== 'await-old-ds-removal') throw new Error('not in await-old-ds-removal');
  const removeOld = (): RolloverResult => ({
    kind: 'apply',
    step: 'old-key-removed',
    document: { keys: withRoles(document, new Map([[old.stored, 'removed']])) },
    messages: [...(force ? [FORCED] : []), `key ${old.key.tag} is removed; the rollover is complete and key ${current.key.tag} is the only key`],
  });
  if (force) return removeOld();
  const guide = nextStep(apex, document).instructions;
  if (parentDs === undefined) return refuse(`the parent's DS was not checked: name a resolver with --resolver HOST:PORT`, guide);
  if (!parentHolds(apex, parentDs, current.key)) {
    return refuse(`the parent does not hold the DS of the active key ${current.key.tag}: removing key ${old.key.tag} would leave the zone bogus`, [
      'add at the parent:',
      `  ${dsLine(apex, current.key)}`,
      RUN_AGAIN,
    ]);
  }
  const oldHeld = parentHolds(apex, parentDs, old.key);
  if (rollover.oldDsGoneAt === undefined || rollover.removeAllowedAt === undefined) {
    if (oldHeld) return refuse(`the parent still holds the DS of the retiring key ${old.key.tag}`, guide);
    const removeAllowedAt = now + parentDs.ttl + timing.propagationDelay;
    const after: KeysetDocument = { keys: document.keys, rollover: { ...rollover, oldDsGoneAt: now, removeAllowedAt } };
    return {
      kind: 'apply',
      step: 'old-ds-gone',
      document: after,
      messages: [
        `the parent no longer holds the DS of key ${old.key.tag}; caches may keep the old DS RRset for ${parentDs.ttl} s`,
        ...nextStep(apex, after).instructions,
      ],
    };
  }
  if (oldHeld) {
    // The old DS came back: a cache may fetch it again, so the wait starts over once it is gone.
    const after: KeysetDocument = { keys: document.keys, rollover: { phase: rollover.phase, startedAt: rollover.startedAt, stepAt: rollover.stepAt } };
    return {
      kind: 'apply',
      step: 'old-ds-returned',
      document: after,
      messages: [`the DS of the retiring key ${old.key.tag} is back at the parent; the wait starts again once it is gone`, ...nextStep(apex, after).instructions],
    };
  }
  if (now < rollover.removeAllowedAt) {
    return refuse(`too early: caches may hold the DS of key ${old.key.tag} until ${timeText(rollover.removeAllowedAt)}`, guide);
  }
  return removeOld();
}
