import { register, txtValue, update } from './support/api-client';
import { rcodeOf, tcpQuery, txtValues, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { startPostgres, type TestPostgres } from './support/postgres';

/**
 * Several instances on one PostgreSQL database (issue 4): once /update answered 200 on any
 * instance, every instance's DNS serves the value at once.
 */
describe('several instances on one PostgreSQL database', () => {
  let pg: TestPostgres;
  let instances: TestDaemon[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase();
    // One after the other would hide a migration race; start them together.
    instances = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((host) => startTestDaemon({ host, postgresUrl: url })),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((t) => t.stop()));
    await pg?.destroy();
  });

  it('listens on three different loopback addresses', () => {
    expect(instances.map((t) => t.dns.address)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  });

  it('serves every acknowledged value from every other instance right after the 200, with no stale answer', async () => {
    const rounds = 25;
    const writers = 4;
    const stale: string[] = [];
    let checked = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const account = await register(instances[w % instances.length]!.api);
        for (let i = 0; i < rounds; i++) {
          const via = instances[(w + i) % instances.length]!;
          const value = txtValue(`w${w}-r${i}`);
          const res = await update(via.api, account, value);
          expect(res.status).toBe(200);
          await Promise.all(
            instances
              .filter((t) => t !== via)
              .map(async (t) => {
                const served = txtValues(await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT' }));
                checked += 1;
                if (!served.includes(value)) stale.push(`${t.dns.address} missed ${value} (served ${served.join(',')})`);
              }),
          );
        }
      }),
    );
    expect(checked).toBe(writers * rounds * (instances.length - 1));
    expect(stale).toEqual([]);
  });

  it('authenticates an account registered on one instance on every other', async () => {
    const account = await register(instances[0]!.api);
    for (const t of instances.slice(1)) {
      expect((await update(t.api, account, txtValue(`from-${t.dns.address}`))).status).toBe(200);
    }
  });
});

describe('the database stopped under load and started again', () => {
  let pg: TestPostgres;
  let t: TestDaemon;
  beforeAll(async () => {
    pg = await startPostgres();
    t = await startTestDaemon({ postgresUrl: await pg.createDatabase(), extra: '[txt]\nkeep = 100\nmax_age = 0\n' });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await pg?.destroy();
  });

  it('keeps the static zone, answers SERVFAIL and 503 meanwhile, recovers alone and loses nothing acknowledged', async () => {
    if (pg.external) return; // an external server cannot be stopped from here (see test/support/postgres.ts)
    const account = await register(t.api);
    const acknowledged: string[] = [];
    let running = true;
    let n = 0;
    const outcomes = { ok: 0, unavailable: 0, other: [] as string[] };
    const writer = (async () => {
      while (running) {
        const value = txtValue(`load-${n++}`);
        const res = await update(t.api, account, value);
        if (res.status === 200) {
          acknowledged.push(value);
          outcomes.ok += 1;
        } else if (res.status === 503 && res.body === '{"error": "db_error"}') {
          outcomes.unavailable += 1;
        } else outcomes.other.push(`${res.status} ${res.body}`);
      }
    })();
    try {
      while (acknowledged.length < 5) await new Promise((r) => setTimeout(r, 10));
      await pg.stop();

      // While it is down: the static zone answers, names that need the database get SERVFAIL.
      expect(rcodeOf(await udpQuery(t.dns, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
      expect(rcodeOf(await udpQuery(t.dns, { name: 'ns1.auth.example.org', type: 'A' }))).toBe('NOERROR');
      expect(rcodeOf(await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT' }))).toBe('SERVFAIL');
      expect(rcodeOf(await udpQuery(t.dns, { name: `nobody.auth.example.org`, type: 'TXT' }))).toBe('SERVFAIL');
      const reg = await fetch(`${t.api}/register`, { method: 'POST' });
      expect([reg.status, await reg.text()]).toEqual([503, '{"error": "db_error"}']);
      const unavailableBefore = outcomes.unavailable;
      while (outcomes.unavailable === unavailableBefore) await new Promise((r) => setTimeout(r, 10));

      await pg.start();
      // Recovery without a restart: the next acknowledged update is served.
      const okBefore = outcomes.ok;
      while (outcomes.ok === okBefore) await new Promise((r) => setTimeout(r, 20));
    } finally {
      running = false;
      await writer;
    }
    expect(outcomes.other).toEqual([]);
    // Up to 100 values: more than a UDP answer holds, so ask over TCP.
    const all = txtValues(await tcpQuery(t.tcp, { name: account.fulldomain, type: 'TXT' }));
    for (const value of acknowledged.slice(-100)) expect(all).toContain(value);
  }, 120_000);
});
