/**
 * Rows as both engines return them, turned into the store's types (accounts, listings, audit
 * entries, certificates), the parameters both write an account and an audit entry with, and the
 * one builder of the audit query, so SQLite and PostgreSQL read, write and filter alike.
 */
import { subdomainKey, type Account } from '../core/types';
import type { AccountSummary, AuditAction, AuditActor, AuditContext, AuditEntry, AuditQuery } from './admin-types';
import type { StoredCertificate } from './cluster-types';
import type { StoredTsigKey, TsigAlgorithm } from './zone-types';

/** An accounts row; acme-dns's Go driver stored the hash as a BLOB, so SQLite may return a Buffer. */
export interface AccountRow {
  username: string;
  password_hash: string | Buffer;
  subdomain: string;
  allowfrom: string;
}

/** The account row a change locks (or reads) before it writes, to name the account in the audit entry. */
export interface OwnerRow {
  username: string;
  subdomain: string;
  subdomain_key: string;
  allowfrom: string;
}

/** A certificates row; not_after comes back as a string from PostgreSQL (bigint). */
export interface CertificateRow {
  cert_pem: string;
  key_pem: string;
  not_after: number | string;
}

/** An account listing row; counts come back as strings from PostgreSQL (bigint). */
export interface SummaryRow {
  username: string;
  subdomain: string;
  allowfrom: string;
  created_at: number | string;
  live: number | string;
  last: number | string | null;
}

/** An audit row; ids and times come back as strings from PostgreSQL (bigint). */
export interface AuditRow {
  id: number | string;
  at: number | string;
  action: string;
  username: string;
  subdomain: string;
  client: string | null;
  actor: string;
  detail: string | null;
}

/** The allowfrom column (a JSON list) as a list of strings; anything else is no restriction. */
export function parseAllowFromColumn(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

/** An accounts row as an account (either hash column type). */
export function toAccount(row: AccountRow): Account {
  return {
    username: row.username,
    passwordHash: typeof row.password_hash === 'string' ? row.password_hash : row.password_hash.toString('utf8'),
    subdomain: row.subdomain,
    allowFrom: parseAllowFromColumn(row.allowfrom),
  };
}

/** The values of one account insert, in column order (username, password_hash, subdomain, subdomain_key, allowfrom, created_at). */
export function accountParams(a: Account, now: number): [string, string, string, string, string, number] {
  return [a.username, a.passwordHash, a.subdomain, subdomainKey(a.subdomain), JSON.stringify(a.allowFrom), now];
}

/** A certificates row as the stored certificate. */
export function toStoredCertificate(row: CertificateRow): StoredCertificate {
  return { certPem: row.cert_pem, keyPem: row.key_pem, notAfter: Number(row.not_after) };
}

/** A listing row as a summary; DNS serves at most `keep` values, so that is the live count's ceiling. */
export function toSummary(row: SummaryRow, keep: number): AccountSummary {
  return {
    username: row.username,
    subdomain: row.subdomain,
    allowFrom: parseAllowFromColumn(row.allowfrom),
    createdAt: Number(row.created_at),
    liveValues: Math.min(Number(row.live), keep),
    lastUpdate: row.last === null ? null : Number(row.last),
  };
}

/** An audit row as an entry (only this module writes the table, so action and actor are known values). */
export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    action: row.action as AuditAction,
    username: row.username,
    subdomain: row.subdomain,
    client: row.client,
    actor: row.actor === 'cli' || row.actor === 'rfc2136' ? row.actor : 'api',
    detail: row.detail,
  };
}

/** The values of one audit insert, in column order (at, action, username, subdomain, client, actor, detail). */
export function auditValues(
  action: AuditAction,
  username: string,
  subdomain: string,
  ctx: AuditContext,
  detail: Readonly<Record<string, unknown>> | null,
): [number, AuditAction, string, string, string | null, AuditActor, string | null] {
  return [
    Math.floor(ctx.at ?? Date.now()),
    action,
    username,
    subdomain,
    ctx.client ?? null,
    ctx.actor,
    // The key an RFC 2136 update was signed with says who changed it (never its secret).
    ctx.key === undefined ? (detail === null ? null : JSON.stringify(detail)) : JSON.stringify({ ...detail, key: ctx.key }),
  ];
}

/** A tsig_keys row joined with its account; created_at comes back as a string from PostgreSQL (bigint). */
export interface TsigKeyRow {
  name: string;
  algorithm: string;
  secret: string;
  username: string;
  subdomain: string;
  created_at: number | string;
}

/** A tsig_keys row as the stored key (only the store writes the table, so the algorithm is a known one). */
export function toStoredTsigKey(row: TsigKeyRow): StoredTsigKey {
  return {
    name: row.name,
    algorithm: row.algorithm as TsigAlgorithm,
    secret: Buffer.from(row.secret, 'base64'),
    username: row.username,
    subdomain: row.subdomain,
    createdAt: Number(row.created_at),
  };
}

/** The detail of a `tsig.added` / `tsig.removed` entry: the key's name and algorithm, never its secret. */
export function tsigDetail(key: { readonly name: string; readonly algorithm: string }): Record<string, unknown> {
  return { name: key.name, algorithm: key.algorithm };
}

/** The detail of an `account.imported` entry: what the account came with (never its hash or values). */
export function importedDetail(allowFrom: readonly string[], values: number): Record<string, unknown> {
  return { allowfrom: allowFrom, values };
}

/** The audit columns an insert names, in auditValues' order. */
export const AUDIT_COLUMNS = 'at, action, username, subdomain, client, actor, detail';

/**
 * The audit listing for a query: only the filters given become conditions, so each shape uses its
 * index (by account, by time). `param(i)` writes the i-th placeholder (1-based) of the dialect.
 */
export function auditListSql(query: AuditQuery, param: (i: number) => string): { text: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  const where: string[] = [];
  const add = (condition: (p: string) => string, value: string | number): void => {
    values.push(value);
    where.push(condition(param(values.length)));
  };
  if (query.username !== undefined) add((p) => `username = ${p}`, query.username);
  if (query.since !== undefined) add((p) => `at >= ${p}`, Math.floor(query.since));
  if (query.until !== undefined) add((p) => `at < ${p}`, Math.floor(query.until));
  if (query.afterId !== undefined) add((p) => `id > ${p}`, Math.floor(query.afterId));
  values.push(Math.max(0, Math.floor(query.limit)));
  const text =
    `SELECT id, at, action, username, subdomain, client, actor, detail FROM audit` +
    `${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ${param(values.length)}`;
  return { text, values };
}
