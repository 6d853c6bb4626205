/**
 * What `acmedns accounts` and `acmedns audit` print: aligned text for people, JSON for scripts
 * (times in ISO 8601 UTC either way). Pure, so the shapes are unit-tested.
 */
import type { AccountSummary, AuditEntry } from '../store';

/** Unix seconds as ISO 8601 UTC, without milliseconds. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** An allowfrom list for people. */
export function allowFromText(list: readonly string[]): string {
  return list.length === 0 ? '(anywhere)' : list.join(', ');
}

/** An account as `list --json` and `show --json` print it. */
export function summaryJson(s: AccountSummary, domain: string): Record<string, unknown> {
  return {
    username: s.username,
    subdomain: s.subdomain,
    fulldomain: `${s.subdomain}.${domain}`,
    allowfrom: s.allowFrom,
    created: isoSeconds(s.createdAt),
    values: s.liveValues,
    lastUpdate: s.lastUpdate === null ? null : isoSeconds(s.lastUpdate),
  };
}

/** The header of the `list` table. */
export const LIST_HEADER = `${'USERNAME'.padEnd(36)}  ${'SUBDOMAIN'.padEnd(36)}  VALUES  ${'LAST UPDATE'.padEnd(20)}  ALLOWFROM`;

/** One row of the `list` table (UUIDs are 36 characters; longer imported names push the row). */
export function listRow(s: AccountSummary): string {
  const last = s.lastUpdate === null ? '-' : isoSeconds(s.lastUpdate);
  return `${s.username.padEnd(36)}  ${s.subdomain.padEnd(36)}  ${String(s.liveValues).padStart(6)}  ${last.padEnd(20)}  ${allowFromText(s.allowFrom)}`;
}

/** `show` for people: one field a line, then the live values, newest first. */
export function showText(s: AccountSummary, domain: string, values: readonly string[]): string {
  const lines = [
    `username:    ${s.username}`,
    `subdomain:   ${s.subdomain}`,
    `fulldomain:  ${s.subdomain}.${domain}`,
    `allowfrom:   ${allowFromText(s.allowFrom)}`,
    `created:     ${isoSeconds(s.createdAt)}`,
    `last update: ${s.lastUpdate === null ? '-' : isoSeconds(s.lastUpdate)}`,
    `txt values:  ${values.length}`,
    ...values.map((v) => `  ${v}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** An audit entry as `audit --json` prints it; detail parsed back into an object. */
export function auditJson(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    action: e.action,
    username: e.username,
    subdomain: e.subdomain,
    actor: e.actor,
    client: e.client,
    detail: e.detail === null ? null : (JSON.parse(e.detail) as unknown),
  };
}

/** The header of the `audit` table. */
export const AUDIT_HEADER = `${'TIME (UTC)'.padEnd(24)}  ${'ACTION'.padEnd(17)}  ${'ACCOUNT'.padEnd(36)}  ACTOR  ${'CLIENT'.padEnd(15)}  DETAIL`;

/** One row of the `audit` table. */
export function auditRow(e: AuditEntry): string {
  const row = `${new Date(e.at).toISOString().padEnd(24)}  ${e.action.padEnd(17)}  ${e.username.padEnd(36)}  ${e.actor.padEnd(5)}  ${(e.client ?? '-').padEnd(15)}  ${e.detail ?? ''}`;
  return row.trimEnd();
}
