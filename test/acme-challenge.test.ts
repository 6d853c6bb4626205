import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChallengeNotSeenError, createChallengePublisher } from '../src/acme/order/challenge';
import { openSqliteStore } from '../src/store';
import type { Store } from '../src/store';

describe('challenge publisher over a real SQLite store', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-challenge-'));
    store = await openSqliteStore({ file: path.join(dir, 'db.sqlite'), txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Stands in for the daemon's query to its own DNS: answers what the store holds. */
  const storeAnswers = (name: string, value: string) =>
    store.challengeValues(name.toLowerCase(), Math.floor(Date.now() / 1000)).then((values) => values.includes(value));

  it('publishes under the lower-cased name, sees it, and withdraws only that value', async () => {
    const publisher = createChallengePublisher({ store, checkOwnAnswer: storeAnswers, policy: { intervalMs: 10, timeoutMs: 1000 } });
    const expires = Math.floor(Date.now() / 1000) + 60;
    await publisher.publish('_acme-challenge.Auth.Example.org', 'value-one', expires);
    await publisher.publish('_acme-challenge.auth.example.org', 'value-two', expires);
    await publisher.waitUntilVisible('_acme-challenge.auth.example.org', 'value-one');
    await publisher.withdraw('_acme-challenge.auth.example.org', 'value-one');
    const now = Math.floor(Date.now() / 1000);
    expect(await store.challengeValues('_acme-challenge.auth.example.org', now)).toEqual(['value-two']);
  });

  it('gives up with ChallengeNotSeenError naming the record when the value never shows', async () => {
    const publisher = createChallengePublisher({ store, checkOwnAnswer: storeAnswers, policy: { intervalMs: 5, timeoutMs: 50 } });
    await expect(publisher.waitUntilVisible('_acme-challenge.auth.example.org', 'missing')).rejects.toThrow(ChallengeNotSeenError);
    await expect(publisher.waitUntilVisible('_acme-challenge.auth.example.org', 'missing')).rejects.toThrow(
      /_acme-challenge\.auth\.example\.org TXT: the value was not in the answer/,
    );
  });

  it('keeps the last error of the check in the message and keeps trying after one', async () => {
    let calls = 0;
    const flaky = async (): Promise<boolean> => {
      calls += 1;
      if (calls < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:53');
      return true;
    };
    const publisher = createChallengePublisher({ store, checkOwnAnswer: flaky, policy: { intervalMs: 1, timeoutMs: 5000 } });
    await publisher.waitUntilVisible('_acme-challenge.auth.example.org', 'v');
    expect(calls).toBe(3);

    const broken = createChallengePublisher({
      store,
      checkOwnAnswer: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:53')),
      policy: { intervalMs: 1, timeoutMs: 20 },
    });
    await expect(broken.waitUntilVisible('_acme-challenge.auth.example.org', 'v')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops waiting when aborted', async () => {
    const publisher = createChallengePublisher({ store, checkOwnAnswer: async () => false, policy: { intervalMs: 1000, timeoutMs: 60_000 } });
    const controller = new AbortController();
    const waiting = publisher.waitUntilVisible('_acme-challenge.auth.example.org', 'v', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});
