/**
 * What the server answers, validated before the page uses it: a reply is `unknown` until one of
 * these schemas accepts it (a proxy's error page or an older server must not become `undefined`
 * shown as text). zod/mini: the same library as the server's config, in its tree-shakable form.
 */
import * as z from 'zod/mini';

/** POST /register's 201 (acme-dns's body). */
export const Registration = z.object({
  username: z.string(),
  password: z.string(),
  fulldomain: z.string(),
  subdomain: z.string(),
  allowfrom: z.array(z.string()),
});
/** A new account's credentials, shown once. */
export type Registration = z.infer<typeof Registration>;

/** GET /account: the account without its key, its live values (newest first) and the last update. */
export const AccountView = z.object({
  username: z.string(),
  subdomain: z.string(),
  fulldomain: z.string(),
  allowfrom: z.array(z.string()),
  values: z.array(z.object({ value: z.string(), updatedAt: z.string() })),
  lastUpdate: z.nullable(z.string()),
});
/** What GET /account says about the signed-in account. */
export type AccountView = z.infer<typeof AccountView>;

/** POST /account/key: the account's new key, shown once. */
export const NewKey = z.object({ username: z.string(), password: z.string() });

/** POST /account/check: each check with its outcome and, when it failed, the fix. */
export const CheckReport = z.object({
  domain: z.string(),
  findings: z.array(z.object({ ok: z.boolean(), text: z.string(), fix: z.optional(z.string()) })),
});
/** The delegation check's report. */
export type CheckReport = z.infer<typeof CheckReport>;

/** GET /status (public). */
export const Status = z.object({
  zone: z.string(),
  version: z.string(),
  store: z.enum(['ready', 'unavailable']),
  registration: z.boolean(),
  certificate: z.nullable(z.object({ notAfter: z.string(), renewAt: z.nullable(z.string()) })),
});
/** The server's public status. */
export type Status = z.infer<typeof Status>;

/** acme-dns's error body `{"error": "..."}`. */
export const ErrorBody = z.object({ error: z.string() });
