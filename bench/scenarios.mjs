// The servers measured, one scenario each: how to start it and which measures it gets. A new
// backend (PostgreSQL) is one more entry with its own `database` and seeding.
import path from 'node:path';
import { makeAccounts, seedSqlite, sharedPasswordHash, txtValue } from './accounts.mjs';
import { startKnot } from './knot.mjs';
import { freePort } from './net.mjs';
import { writeQueryFiles } from './queries.mjs';
import { registerAndUpdate, startOurs } from './server.mjs';

/**
 * The accounts and query files every scenario shares, made once. Account 0 is the one
 * registered through the API when the one-account scenario ran first (else a generated one).
 */
function sharedData(ctx) {
  if (!ctx.shared) {
    const accounts = makeAccounts(ctx.accountCount, ctx.first);
    ctx.shared = { accounts, queries: writeQueryFiles(ctx.tmp, ctx.zone.domain, accounts) };
  }
  return ctx.shared;
}

async function startOursIn(ctx, id, label, file) {
  return startOurs({
    root: ctx.root,
    label,
    dir: path.join(ctx.tmp, id),
    core: ctx.cores.server,
    zone: ctx.zone,
    dnsPort: await freePort(),
    apiPort: await freePort(),
    database: { engine: 'sqlite', connection: file },
  });
}

/** All scenarios in run order; `ctx` = { root, tmp, zone, cores, tools, accountCount }. */
export function allScenarios(ctx) {
  const big = ctx.accountCount.toLocaleString('en-US');
  return [
    {
      id: 'ours-1',
      label: 'ours, SQLite, 1 account',
      measures: ['txtOne', 'soa', 'nx', 'latTxtOne'],
      // An empty store and one account made through /register and /update, as a client would.
      async start() {
        const server = await startOursIn(ctx, 'ours-1', this.label, path.join(ctx.tmp, 'ours-1', 'store.db'));
        ctx.first = await registerAndUpdate(server.api, txtValue());
        return server;
      },
    },
    {
      id: 'ours-big',
      label: `ours, SQLite, ${big} accounts`,
      pairWith: 'ours-1',
      measures: ['txtMany', 'soa', 'nx', 'latTxtMany'],
      // Seeded before start through the store's bulk import (one shared bcrypt hash).
      async start() {
        const file = path.join(ctx.tmp, 'ours-big', 'store.db');
        await seedSqlite(ctx.root, file, sharedData(ctx).accounts, sharedPasswordHash(ctx.root));
        return startOursIn(ctx, 'ours-big', this.label, file);
      },
    },
    {
      id: 'knot',
      label: `knot, ${big} names`,
      measures: ['txtOne', 'txtMany', 'soa', 'nx', 'latTxtOne'],
      async start() {
        return startKnot({
          knotd: ctx.tools.knotd,
          dir: path.join(ctx.tmp, 'knot'),
          port: await freePort(),
          core: ctx.cores.server,
          zone: ctx.zone,
          accounts: sharedData(ctx).accounts,
        });
      },
    },
  ];
}

/** The query file paths, generating the shared data on first use. */
export function queryFiles(ctx) {
  return sharedData(ctx).queries;
}
