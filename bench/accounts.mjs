// The accounts both servers serve: generated names and TXT values, written into our store in
// one bulk import (registering 100,000 accounts through bcrypt cost 10 would take ~2 hours).
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A 43-character TXT value of [A-Za-z0-9_-], the shape of an ACME key authorization digest. */
export function txtValue() {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * `count` accounts { username, subdomain, value } with UUIDs, as /register would make them.
 * `first`, when given, becomes account 0 (the one registered through the API), so every
 * scenario and knot share it.
 */
export function makeAccounts(count, first) {
  const accounts = first ? [first] : [];
  while (accounts.length < count) {
    accounts.push({ username: crypto.randomUUID(), subdomain: crypto.randomUUID(), value: txtValue() });
  }
  return accounts;
}

/** One bcrypt hash (cost 10) of a random 40-character key, shared by every imported account. */
export function sharedPasswordHash(root) {
  const bcrypt = createRequire(path.join(root, 'package.json'))('bcrypt');
  return bcrypt.hashSync(crypto.randomBytes(30).toString('base64url'), 10);
}

/** Imports the accounts, each with its TXT value, through an open store; closes it in any case. */
// The store journals owners relative to the zone and names them with the zone it is opened with
// when read, so seeding needs no particular zone: the server reads with its own.
const SEED_ZONE = 'seed.invalid';

async function importInto(store, accounts, passwordHash) {
  try {
    const now = Math.floor(Date.now() / 1000);
    const entries = accounts.map((a) => ({
      account: { username: a.username, passwordHash, subdomain: a.subdomain, allowFrom: [] },
      values: [{ value: a.value, updatedAt: now }],
    }));
    const result = await store.importAccounts(entries);
    if (result.created !== accounts.length) {
      throw new Error(`import created ${result.created} of ${accounts.length} accounts`);
    }
  } finally {
    await store.close();
  }
}

/**
 * Writes the accounts, each with its TXT value, into a new SQLite store file through the built
 * store (dist/store/sqlite/index.js), so the schema is exactly the server's own.
 */
export async function seedSqlite(root, file, accounts, passwordHash) {
  const { openSqliteStore } = createRequire(path.join(root, 'package.json'))('./dist/store/sqlite/index.js');
  await importInto(openSqliteStore({ file, txt: { keep: 4, maxAgeSeconds: 0 }, zone: SEED_ZONE }), accounts, passwordHash);
}

/** The same into an empty PostgreSQL database (`connection` URL), through dist/store's openPostgresStore. */
export async function seedPostgres(root, connection, accounts, passwordHash) {
  const { openPostgresStore } = createRequire(path.join(root, 'package.json'))('./dist/store/index.js');
  await importInto(await openPostgresStore({ connection, txt: { keep: 4, maxAgeSeconds: 0 }, zone: SEED_ZONE }), accounts, passwordHash);
}
