/**
 * The key set read for a rollover (which key has which part) and what the operator does next, in
 * words: the DS line to add or remove at the parent and the earliest time. Shared by the rollover
 * steps (rollover.ts) and `acmedns dnssec status`.
 */
import { dsLine, signingKeyFromPem, type SigningKey } from './keys';
import type { KeysetDocument, KeyRole, StoredZoneKey } from './types';

/** A stored key and the signing key read from it. */
export interface RolloverKey {
  readonly stored: StoredZoneKey;
  readonly key: SigningKey;
}

/** The keys of a document by role. */
export interface KeysByRole {
  readonly active: readonly RolloverKey[];
  readonly incoming: readonly RolloverKey[];
  readonly retiring: readonly RolloverKey[];
}

/** Reads every key of the document (throws when a stored key does not parse). */
export function keysByRole(document: KeysetDocument): KeysByRole {
  const of = (role: KeyRole): RolloverKey[] =>
    document.keys.filter((k) => k.role === role).map((stored) => ({ stored, key: signingKeyFromPem(stored.privateKeyPem, stored.algorithm) }));
  return { active: of('active'), incoming: of('incoming'), retiring: of('retiring') };
}

/** The keys whose DS belongs at the parent: the active key and, during a rollover's first phase, the incoming one. */
export function parentKeys(document: KeysetDocument): SigningKey[] {
  const { active, incoming } = keysByRole(document);
  return [...active, ...incoming].map((k) => k.key);
}

/** A Unix time as operators read it (UTC, ISO 8601, whole seconds). */
export function timeText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** How to take the next step. */
const RUN_STEP = 'run `acmedns dnssec rollover --resolver HOST:PORT` again';

/** The closing line of an instruction. */
export const RUN_AGAIN = `then ${RUN_STEP}`;

/** What comes next in a rollover, for status and for refusals. */
export interface NextStep {
  /** One line: what happens next. */
  readonly action: string;
  /** The earliest Unix time the next step may be taken; undefined when nothing waits. */
  readonly earliest: number | undefined;
  /** The lines to act on (DS lines to add or remove at the parent, indented). */
  readonly instructions: readonly string[];
}

/** The next step of the document's rollover (or how to start one). */
export function nextStep(apex: string, document: KeysetDocument): NextStep {
  const { active, incoming, retiring } = keysByRole(document);
  const rollover = document.rollover;
  const current = active[0];
  if (rollover === undefined || current === undefined) {
    return { action: 'no rollover running; `acmedns dnssec rollover` starts one', earliest: undefined, instructions: [] };
  }
  if (rollover.phase === 'await-new-ds') {
    const next = incoming[0];
    if (next === undefined) return { action: 'the key set has no incoming key', earliest: undefined, instructions: [] };
    return {
      action: `add the DS of the new key ${next.key.tag} at the parent (keep the current one), ${RUN_AGAIN}`,
      earliest: rollover.dsAllowedAt,
      instructions: [
        `at or after ${timeText(rollover.dsAllowedAt)}, add at the parent:`,
        `  ${dsLine(apex, next.key)}`,
        `keep at the parent:`,
        `  ${dsLine(apex, current.key)}`,
        RUN_AGAIN,
      ],
    };
  }
  const old = retiring[0];
  if (old === undefined) return { action: 'the key set has no retiring key', earliest: undefined, instructions: [] };
  if (rollover.oldDsGoneAt === undefined || rollover.removeAllowedAt === undefined) {
    return {
      action: `remove the DS of the retiring key ${old.key.tag} from the parent, ${RUN_AGAIN}`,
      earliest: rollover.stepAt,
      instructions: [`remove from the parent:`, `  ${dsLine(apex, old.key)}`, `keep at the parent:`, `  ${dsLine(apex, current.key)}`, RUN_AGAIN],
    };
  }
  return {
    action: `run \`acmedns dnssec rollover --resolver HOST:PORT\` to remove the retiring key ${old.key.tag}`,
    earliest: rollover.removeAllowedAt,
    instructions: [`at or after ${timeText(rollover.removeAllowedAt)}, ${RUN_STEP} to remove the retiring key ${old.key.tag}`],
  };
}
