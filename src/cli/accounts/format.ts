/**
 * What `acmedns accounts` and `acmedns audit` print: aligned text for people, JSON for scripts
 * (times in ISO 8601 UTC either way). Pure, so the shapes are unit-tested. Text output escapes and
 * cuts every name (core/display.ts): a store may hold what an older import or a hand edit put
 * there. Times a Date cannot hold (1e300 seconds) print as such instead of throwing halfway
 * through a listing, which would leave its JSON unterminated.
 */
import { displayText, escapeControls } from '../../core/display';
import type { AccountSummary, AuditEntry } from '../../store';

/** Unix milliseconds as ISO 8601 UTC, or null when no Date holds them. */
function isoMillisOrNull(ms: number): string | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Unix seconds as ISO 8601 UTC without milliseconds, or null when no Date holds them. */
export function isoSecondsOrNull(seconds: number): string | null {
  return isoMillisOrNull(seconds * 1000)?.replace('.000Z', 'Z') ?? null;
}

/** Unix seconds as ISO 8601 UTC, without milliseconds; `invalid time (N)` when no Date holds them. */
export function isoSeconds(seconds: number): string {
  return isoSecondsOrNull(seconds) ?? `invalid time (${displayText(String(seconds), 24)})`;
}

/** Entries of one allowfrom list a text line shows; the rest are counted. */
const ALLOWFROM_SHOWN = 20;

/** An allowfrom list for people: each entry escaped and cut, at most ALLOWFROM_SHOWN of them. */
export function allowFromText(list: readonly string[]): string {
  if (list.length === 0) return '(anywhere)';
  const shown = list.slice(0, ALLOWFROM_SHOWN).map((e) => displayText(e, 50));
  return list.length > ALLOWFROM_SHOWN ? `${shown.join(', ')}, … (${list.length - ALLOWFROM_SHOWN} more)` : shown.join(', ');
}

/** An account as `list --json` and `show --json` print it. */
export function summaryJson(s: AccountSummary, domain: string): Record<string, unknown> {
  return {
    username: s.username,
    subdomain: s.subdomain,
    fulldomain: `${s.subdomain}.${domain}`,
    allowfrom: s.allowFrom,
    // null, not a made-up date, when the stored time is no time (see isoSecondsOrNull).
    created: isoSecondsOrNull(s.createdAt),
    values: s.liveValues,
    lastUpdate: s.lastUpdate === null ? null : isoSecondsOrNull(s.lastUpdate),
  };
}

/** The header of the `list` table. */
export const LIST_HEADER = `${'USERNAME'.padEnd(36)}  ${'SUBDOMAIN'.padEnd(36)}  VALUES  ${'LAST UPDATE'.padEnd(20)}  ALLOWFROM`;

/** One row of the `list` table (UUIDs are 36 characters; longer imported names push the row). */
export function listRow(s: AccountSummary): string {
  const last = s.lastUpdate === null ? '-' : isoSeconds(s.lastUpdate);
  return `${displayText(s.username).padEnd(36)}  ${displayText(s.subdomain).padEnd(36)}  ${String(s.liveValues).padStart(6)}  ${last.padEnd(20)}  ${allowFromText(s.allowFrom)}`;
}

/** `show` for people: one field a line, then the live values, newest first. */
export function showText(s: AccountSummary, domain: string, values: readonly string[]): string {
  const lines = [
    `username:    ${displayText(s.username)}`,
    `subdomain:   ${displayText(s.subdomain)}`,
    `fulldomain:  ${displayText(`${s.subdomain}.${domain}`, 253)}`,
    `allowfrom:   ${allowFromText(s.allowFrom)}`,
    `created:     ${isoSeconds(s.createdAt)}`,
    `last update: ${s.lastUpdate === null ? '-' : isoSeconds(s.lastUpdate)}`,
    `txt values:  ${values.length}`,
    ...values.map((v) => `  ${displayText(v)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The detail column as JSON; as a string should it not parse (a hand edit), so a listing never stops. */
function parseDetail(detail: string): unknown {
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

/** An audit entry as `audit --json` prints it; detail parsed back into an object. */
export function auditJson(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: isoMillisOrNull(e.at),
    action: e.action,
    username: e.username,
    subdomain: e.subdomain,
    actor: e.actor,
    client: e.client,
    detail: e.detail === null ? null : parseDetail(e.detail),
  };
}

/** The widest actor (`rfc2136`, an RFC 2136 UPDATE), so the columns after it line up. */
const ACTOR_WIDTH = 7;

/** The header of the `audit` table. */
export const AUDIT_HEADER = `${'TIME (UTC)'.padEnd(24)}  ${'ACTION'.padEnd(17)}  ${'ACCOUNT'.padEnd(36)}  ${'ACTOR'.padEnd(ACTOR_WIDTH)}  ${'CLIENT'.padEnd(15)}  DETAIL`;

/** Characters of an audit entry's detail a text row shows (`--json` has it whole). */
const DETAIL_SHOWN = 300;

/** One row of the `audit` table. */
export function auditRow(e: AuditEntry): string {
  const at = isoMillisOrNull(e.at) ?? `invalid time (${e.at})`;
  const detail = e.detail === null ? '' : displayText(e.detail, DETAIL_SHOWN);
  const row = `${at.padEnd(24)}  ${escapeControls(e.action).padEnd(17)}  ${displayText(e.username).padEnd(36)}  ${e.actor.padEnd(ACTOR_WIDTH)}  ${displayText(e.client ?? '-').padEnd(15)}  ${detail}`;
  return row.trimEnd();
}
