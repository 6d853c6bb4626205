/** The keys and the rollover of a key set as status and rollover print them (text and JSON). */
import { keysByRole, nextStep, timeText, type KeysetDocument, type SigningKey } from '../../dns/dnssec';

/** One key as printed. */
export interface KeyView {
  readonly tag: number;
  readonly algorithm: number;
  readonly role: string;
  readonly created: string;
}

/** Every key of the document, active first, then incoming, then retiring. */
export function keyViews(document: KeysetDocument): KeyView[] {
  const { active, incoming, retiring } = keysByRole(document);
  return [...active, ...incoming, ...retiring].map(({ stored, key }) => ({ tag: key.tag, algorithm: key.algorithm, role: stored.role, created: timeText(stored.createdAt) }));
}

/** The rollover's state and the next step, as JSON. */
export function rolloverView(apex: string, document: KeysetDocument): Record<string, unknown> {
  const next = nextStep(apex, document);
  const rollover = document.rollover;
  const times = rollover === undefined ? {} : Object.fromEntries(Object.entries(rollover).map(([k, v]) => [k, typeof v === 'number' ? timeText(v) : v]));
  return {
    rollover: rollover === undefined ? null : times,
    next: { action: next.action, earliest: next.earliest === undefined ? null : timeText(next.earliest), instructions: next.instructions },
  };
}

/** The key lines of status: `key 31589  active    algorithm 13  created 2024-05-01T12:00:00Z`. */
export function keyLines(document: KeysetDocument): string[] {
  return keyViews(document).map((k) => `key ${String(k.tag).padEnd(6)} ${k.role.padEnd(9)} algorithm ${k.algorithm}  created ${k.created}`);
}

/** `31589 (active), 4711 (retiring)` for the keys given. */
export function tagList(keys: readonly { key: SigningKey; role: string }[]): string {
  return keys.map((k) => `${k.key.tag} (${k.role})`).join(', ');
}
