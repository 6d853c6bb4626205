/**
 * Every section and key the config knows, with how an environment variable's text becomes the
 * key's value: read from the schema's section shapes (each key's building block carries its
 * `EnvKind`), so a key is declared once, in the schema.
 */
import type { z } from 'zod';
import { envKindOf, type EnvKind } from './fields';
import { SECTIONS } from './schema';

export type { EnvKind } from './fields';

/** A config section's name. */
export type Section = keyof typeof SECTIONS;

/** The env coercion of every key in `shape`; a key built without a fields.ts block is a bug. */
function kindsOf(name: string, shape: z.core.$ZodShape): Readonly<Record<string, EnvKind>> {
  const kinds: Record<string, EnvKind> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const kind = envKindOf(schema);
    // Thrown at load, so any test that imports the config catches a key without a kind.
    if (kind === undefined) throw new Error(`config: ${name}.${key} has no env kind (build it with fields.ts)`);
    kinds[key] = kind;
  }
  return Object.freeze(kinds);
}

/** The known keys per section, lower-case, as acme-dns spells them plus our additions. */
export const KEYS = Object.freeze(
  Object.fromEntries(
    Object.entries(SECTIONS).map(([name, schema]) => [name, kindsOf(name, schema.in.unwrap().shape)]),
  ) as Record<Section, Readonly<Record<string, EnvKind>>>,
);

/** True when `name` is a known section. */
export function isSection(name: string): name is Section {
  return Object.prototype.hasOwnProperty.call(KEYS, name);
}

/** The env coercion of `section.key`, or undefined when the key is unknown. */
export function kindOf(section: Section, key: string): EnvKind | undefined {
  const keys = KEYS[section];
  return Object.prototype.hasOwnProperty.call(keys, key) ? keys[key] : undefined;
}
