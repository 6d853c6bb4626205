/**
 * The expiry sweep over a real SQLite file while another connection holds the write lock (the
 * CLI, an import). better-sqlite3 waits for a lock synchronously (busy_timeout, 5 s), and the
 * sweep runs every second on the process that answers DNS: with nothing expired it must not ask
 * for the lock at all. Once something has expired (and the lock is free) it is removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from './index';

const ZONE = 'auth.example.org';
const NOW = 1_800_000_000;
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-expiry-'));
  file = path.join(dir, 'store.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `body` while another connection holds the database's write lock. */
async function whileLocked(body: () => Promise<void>): Promise<void> {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  try {
    await body();
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
}

test('an own challenge not yet expired: the sweep returns 0 under another writer, then removes it once expired', async () => {
  const store = openSqliteStore({ file, txt: { keep: 4, maxAgeSeconds: 0 }, zone: ZONE });
  try {
    await store.putChallenge(`_acme-challenge.${ZONE}`, 'challenge-value', NOW + 60);
    await whileLocked(async () => {
      await expect(store.expireZoneValues(NOW)).resolves.toBe(0);
    });
    await expect(store.expireZoneValues(NOW + 61)).resolves.toBe(1);
    await expect(store.expireZoneValues(NOW + 61)).resolves.toBe(0);
  } finally {
    await store.close();
  }
});

test('values that age out (txt.max_age): none old enough, no lock asked for; one old enough goes', async () => {
  const store = openSqliteStore({ file, txt: { keep: 4, maxAgeSeconds: 100 }, zone: ZONE });
  try {
    const account = { username: 'u-1', passwordHash: 'x', subdomain: 'e1b0c7d2-5a8f-4f3e-9a1d-2b6c8e4f0a11', allowFrom: [] };
    const created = await store.importAccounts([{ account, values: [{ value: 'a'.repeat(43), updatedAt: NOW - 50 }] }]);
    expect(created.created).toBe(1);
    await whileLocked(async () => {
      await expect(store.expireZoneValues(NOW)).resolves.toBe(0);
    });
    // At NOW + 60 the cutoff is NOW - 40: the value, written at NOW - 50, is past it.
    await expect(store.expireZoneValues(NOW + 60)).resolves.toBe(1);
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT count(*) FROM txt_values').pluck().get()).toBe(0);
    } finally {
      reader.close();
    }
  } finally {
    await store.close();
  }
});
