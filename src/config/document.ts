/**
 * TOML text -> a plain document with lower-cased section and key names, plus warnings for the
 * names we do not know. Values are left as TOML typed them; the schema judges them.
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../core/errors';
import { isSection, kindOf } from './keys';

/** The parsed file: section name -> section table (or whatever the file put there). */
export type Document = Record<string, unknown>;

/** A TOML table, as opposed to an array, a date or a scalar. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Parses TOML. Section and key names are lower-cased because acme-dns's decoder (BurntSushi/toml)
 * matches them to its struct fields case-insensitively; two spellings of one key are an error,
 * since which one wins would be an accident.
 */
export function readToml(text: string, source: string): Document {
  let raw: Record<string, unknown>;
  try {
    // `__proto__` and `constructor` keys throw: nothing legitimate is called that.
    raw = parse(text, { unsafeKeyBehaviour: 'throw' });
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError(`config: ${source} line ${err.line}, column ${err.column}: TOML syntax error: ${reason}`);
    }
    throw err;
  }
  return lowerKeys(raw, '', true);
}

function lowerKeys(table: Record<string, unknown>, prefix: string, descend: boolean): Document {
  const out: Document = {};
  const spelled: Record<string, string> = {};
  for (const [name, value] of Object.entries(table)) {
    const key = name.toLowerCase();
    const previous = spelled[key];
    if (previous !== undefined) {
      throw new ConfigError(
        `config: ${prefix}${key} is set twice (as ${JSON.stringify(previous)} and ${JSON.stringify(name)})`,
      );
    }
    spelled[key] = name;
    out[key] = descend && isTable(value) ? lowerKeys(value, `${key}.`, false) : value;
  }
  return out;
}

/** One warning per name the file sets that no section or key of ours reads (typos show). */
export function unknownKeyWarnings(doc: Document): string[] {
  const warnings: string[] = [];
  for (const [section, table] of Object.entries(doc)) {
    if (!isSection(section)) {
      const what = isTable(table) ? 'section' : 'key';
      warnings.push(`config: unknown ${what} ${JSON.stringify(section)} ignored`);
      continue;
    }
    if (!isTable(table)) continue; // the schema reports a section that is not a table
    for (const key of Object.keys(table)) {
      if (kindOf(section, key) === undefined) {
        warnings.push(`config: unknown key ${section}.${key} ignored`);
      }
    }
  }
  return warnings;
}
