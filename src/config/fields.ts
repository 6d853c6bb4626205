/**
 * zod building blocks for config keys. Every issue message completes "config: <key> ...", so a
 * wrong value stops the start with one line naming the key, what is allowed and what was given.
 * Each block also carries how an environment variable's text becomes its value (`EnvKind`), so
 * the schema is the one list of keys: keys.ts reads the kinds from it.
 */
import { z } from 'zod';
import type { Parsed } from './values';
import { DURATION_FORMS, parseCidr, parseDuration, parsePort } from './values';

/**
 * How `ACMEDNS_<SECTION>_<KEY>` text is coerced: `bool` true/false/1/0, `int` an integer when it
 * looks like one (durations and ports also take strings), `list` comma-separated or a JSON array.
 * Text that does not fit is passed on unchanged so the schema names the key and what is allowed.
 */
export type EnvKind = 'string' | 'bool' | 'int' | 'list';

/** zod metadata: the env coercion of the schema a building block returned. */
const envKinds = z.registry<{ readonly env: EnvKind }>();

/** Marks `schema` (a key's base type) as taking its environment variable's text as `kind`. */
export function fromEnv<T extends z.ZodType>(kind: EnvKind, schema: T): T {
  envKinds.add(schema, { env: kind });
  return schema;
}

/**
 * The env coercion a key's schema was built with, looking through `.default()`, `.optional()`
 * and `.transform()` (which wrap the marked schema in new ones); undefined when none is marked.
 */
export function envKindOf(schema: z.core.$ZodType): EnvKind | undefined {
  for (let s: z.core.$ZodType | undefined = schema; s !== undefined; ) {
    const marked = envKinds.get(s);
    if (marked !== undefined) return marked.env;
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else s = undefined;
  }
  return undefined;
}

/** A value as the user wrote it, for "(got ...)". */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'object' ? 'a table' : typeof value;
}

/** The zod error callback: "is required" when absent, else "must be <what> (got <value>)". */
export function expected(what: string, hint = '') {
  return (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? `is required${hint}` : `must be ${what} (got ${show(issue.input)})`;
}

/** A string key. */
export const text = () => fromEnv('string', z.string({ error: expected('a string') }));

/** A boolean key. */
export const flag = () => fromEnv('bool', z.boolean({ error: expected('true or false') }));

/** An integer key within [min, max]. */
export function int(min: number, max: number) {
  const error = expected(`an integer from ${min} to ${max}`);
  return fromEnv('int', z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}

/** An integer key of any sign (acme-dns's Go `int`). */
export function integer() {
  const error = expected('an integer');
  return fromEnv('int', z.number({ error }).int({ error }));
}

/** A list-of-strings key. */
export function stringList(what = 'a list of strings') {
  const error = expected(what);
  return fromEnv('list', z.array(z.string({ error }), { error }));
}

/** A list of CIDRs, each normalised (a bare address becomes a host route) or named when wrong. */
export function cidrList() {
  return stringList('a list of CIDRs').transform((items, ctx) => items.map((item) => accept(parseCidr(item), item, ctx)));
}

/** A string normalised and checked by a pure parser from values.ts. */
export function parsedText<T>(parser: (s: string) => Parsed<T>, what = 'a string', hint = '') {
  const base = fromEnv('string', z.string({ error: expected(what, hint) }));
  return base.transform((value, ctx) => accept(parser(value), value, ctx));
}

/** Extra spellings for `oneOf`: aliases, the value of `""`, a hint for when the key is missing. */
export interface OneOfOptions<T extends string> {
  readonly aliases?: Readonly<Record<string, T>>;
  readonly empty?: T;
  readonly hint?: string;
}

/** A string that must be one of `names` or an alias, compared case-insensitively. */
export function oneOf<const T extends string>(names: readonly T[], options: OneOfOptions<NoInfer<T>> = {}) {
  const aliases = options.aliases ?? {};
  const extra = Object.keys(aliases);
  const what = `one of ${names.join(', ')}${extra.length > 0 ? ` (or ${extra.join(', ')})` : ''}`;
  return fromEnv('string', z.string({ error: expected(what, options.hint) })).transform((value, ctx): T => {
    const key = value.trim().toLowerCase();
    const found =
      names.find((n) => n === key) ??
      (Object.hasOwn(aliases, key) ? aliases[key] : undefined) ??
      (key === '' ? options.empty : undefined);
    if (found !== undefined) return found;
    ctx.addIssue({ code: 'custom', input: value, message: `must be ${what} (got ${show(value)})` });
    return z.NEVER;
  });
}

/** A duration in seconds (integer seconds or `"90m"`, `"7d"`) within [min, max] seconds. */
export function duration(min: number, max: number) {
  const base = fromEnv('int', z.union([z.number(), z.string()], { error: expected(DURATION_FORMS) }));
  return base.transform((value, ctx): number => {
    const parsed = parseDuration(value);
    if (parsed.ok && (parsed.value < min || parsed.value > max)) {
      const range = `must be from ${min} to ${max} seconds (got ${show(value)})`;
      return accept<number>({ ok: false, reason: range }, value, ctx);
    }
    return accept(parsed, value, ctx);
  });
}

/** A port, as acme-dns's string (`"443"`) or an integer. */
export function port() {
  const error = expected('a port number 0-65535, as a string or an integer');
  return fromEnv('int', z.union([z.number(), z.string()], { error })).transform((value, ctx): number =>
    accept(parsePort(value), value, ctx),
  );
}

/**
 * A config section: a TOML table of `shape`'s keys. An absent section parses as `{}` (rather than
 * defaulting the output), so it reports its first required key, e.g. "general.domain is required".
 */
export function section<Shape extends z.ZodRawShape>(name: string, shape: Shape) {
  const table = z.object(shape, { error: expected(`a table ([${name}])`) });
  return table.prefault({} as z.input<typeof table>);
}

/** Passes a parser's value through, or records its reason as the issue. */
export function accept<T>(parsed: Parsed<T>, input: unknown, ctx: z.RefinementCtx): T {
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', input, message: parsed.reason });
  return z.NEVER;
}
