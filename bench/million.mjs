// The 1,000,000-account SQLite store of issue 12 ("flat to 1,000,000 accounts"), built once per
// bench run through the store's bulk import (one shared bcrypt hash), and its query file: TXT
// for every account, shuffled, half the lines 0x20-mixed. Each scenario serves a copy of the
// file (the server writes to its store: WAL, migrations), so every one starts from the same bytes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sharedPasswordHash, txtValue } from './accounts.mjs';
import { shuffle, writeLines } from './queries.mjs';

/** The store's name for the import (it names owners relative to the zone it is opened with). */
const SEED_ZONE = 'seed.invalid';
/** Accounts per importAccounts call (one transaction each): bounds the bench's own memory. */
const BATCH = 50_000;

/**
 * Builds (on first call; later calls return the same promise) `count` accounts into
 * `<ctx.tmp>/million/store.db`, account 0 being `first` (the account the one-account
 * scenarios serve, so their query file fits here too). Resolves { file, count, importSeconds,
 * queries: { txtMillion, txtMillionLate (the same, reversed) }, probe: { subdomain, value } (a random account other than 0, for the
 * time-to-first-answer check) }.
 */
export function millionStore(ctx, count, first) {
  ctx.million ??= build(ctx, count, first);
  return ctx.million;
}

async function build(ctx, count, first) {
  const dir = path.join(ctx.tmp, 'million');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'store.db');
  const { openSqliteStore } = createRequire(path.join(ctx.root, 'package.json'))('./dist/store/sqlite/index.js');
  const passwordHash = sharedPasswordHash(ctx.root);
  // Names in ascending order: every index insert then appends instead of landing on a random
  // page of a file far larger than SQLite's page cache (3 min -> see README for the figure).
  // The served store is the same rows; only its pages are in key order.
  const sorted = () => Array.from({ length: count - 1 }, () => crypto.randomUUID()).sort();
  const subdomains = [first.subdomain, ...sorted()];
  const usernames = [first.username, ...sorted()];
  const probeIndex = 1 + crypto.randomInt(Math.max(1, count - 1));
  let probe = first;
  const started = process.hrtime.bigint();
  const store = openSqliteStore({ file, txt: { keep: 4, maxAgeSeconds: 0 }, zone: SEED_ZONE });
  try {
    const now = Math.floor(Date.now() / 1000);
    for (let from = 0; from < count; from += BATCH) {
      const batch = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        batch.push(i === 0 ? first : { username: usernames[i], subdomain: subdomains[i], value: txtValue() });
      }
      const entries = batch.map((a) => ({
        account: { username: a.username, passwordHash, subdomain: a.subdomain, allowFrom: [] },
        values: [{ value: a.value, updatedAt: now }],
      }));
      const result = await store.importAccounts(entries);
      if (result.created !== batch.length) throw new Error(`1M import: created ${result.created} of ${batch.length} accounts`);
      if (probeIndex >= from && probeIndex < from + batch.length) probe = batch[probeIndex - from];
    }
  } finally {
    await store.close();
  }
  const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const names = shuffle(subdomains).map((s) => `${s}.${ctx.zone.domain}`);
  const queries = { txtMillion: path.join(dir, 'queries-txtMillion.txt'), txtMillionLate: path.join(dir, 'queries-txtMillionLate.txt') };
  writeLines(queries.txtMillion, names, 'TXT');
  // The latency run comes after the full-speed one, which asked the first part of txtMillion: the
  // same names in reverse order start with names not asked yet (below half the file per run).
  writeLines(queries.txtMillionLate, names.reverse(), 'TXT');
  return { file, count, importSeconds, queries, probe: { subdomain: probe.subdomain, value: probe.value } };
}

/** A fresh copy of the built store at `file` (its directory is created). */
export function copyStore(million, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(million.file, file);
}
