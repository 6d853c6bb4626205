/** Turns a schema failure into the one line that stops the start. */
import type { z } from 'zod';

/**
 * `config: <section.key> <what is allowed> (got ...)`, naming the environment variable when the
 * value came from one. List indexes are left out of the key: the message shows the bad item.
 */
export function describeIssue(issue: z.core.$ZodIssue, origins: ReadonlyMap<string, string>): string {
  const key = issue.path.filter((part): part is string => typeof part === 'string').join('.');
  const origin = origins.get(key);
  const subject = `${key === '' ? 'the file' : key}${origin === undefined ? '' : ` (from ${origin})`}`;
  // Reasons phrased as a predicate ("must be ...", "is required") follow the key; others
  // ('"abc" is not host:port') are a statement about its value.
  const joiner = /^(must|is) /.test(issue.message) ? ' ' : ': ';
  return `config: ${subject}${joiner}${issue.message}`;
}
