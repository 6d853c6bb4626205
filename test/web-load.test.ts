/**
 * Loading the self-service page from the real daemon in Debian's Chromium: every file it loads
 * carries the strict CSP and the security headers, comes gzipped, and nothing is asked of any other
 * host; the whole transfer stays under 100 KB (the size is printed). Every visible text meets
 * WCAG AA contrast in the light and the dark scheme. With registration off the page says so
 * instead of offering the button.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, lowContrastText, openServerPage, PAGE_SECURITY_HEADERS, type ServerPage } from './support/browser';
import { startTestDaemon, type TestDaemon } from './support/daemon';

const skip = browserSkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`web page tests skipped: ${skip}`);

/** The budget for the whole page, gzipped, as transferred. */
const BUDGET_BYTES = 100 * 1024;

suite('the page as loaded by a browser', () => {
  let browser: Browser;
  let server: TestDaemon;
  let view: ServerPage;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(__dirname, '../dist/web/index.html'))) throw new Error('dist/web is missing: run `npm run build` first');
    browser = await launchBrowser();
    server = await startTestDaemon();
    view = await openServerPage(browser, server.api);
  });
  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await server?.stop();
  });

  test('every file of the page has the CSP and security headers and its type, gzipped; no other host is asked', async () => {
    const seen: Promise<readonly [string, { headers: Record<string, string>; status: number }]>[] = [];
    view.page.on('response', (r) => {
      const file = new URL(r.url()).pathname;
      if (file === '/' || file.startsWith('/web/')) seen.push(r.allHeaders().then((headers) => [file, { headers, status: r.status() }] as const));
    });
    await view.page.goto(`${server.api}/`);
    await view.page.locator('#status-list dd', { hasText: 'auth.example.org' }).waitFor();
    const files = new Map(await Promise.all(seen));
    expect([...files.keys()].sort()).toEqual(['/', '/web/app.css', '/web/app.js']);
    const types: Record<string, RegExp> = { '/': /^text\/html/, '/web/app.js': /^(text|application)\/javascript/, '/web/app.css': /^text\/css/ };
    for (const [file, { headers, status }] of files) {
      expect([file, status]).toEqual([file, 200]);
      expect(headers).toEqual(expect.objectContaining(PAGE_SECURITY_HEADERS));
      expect([file, headers['content-type']]).toEqual([file, expect.stringMatching(types[file] ?? /^$/)]);
      expect([file, headers['content-encoding']]).toEqual([file, 'gzip']);
    }
    expect(view.foreignRequests).toEqual([]);
    expect(view.problems).toEqual([]);
    expect(view.refusals).toEqual([]);
  });

  test('the whole page transfers under 100 KB', async () => {
    const transfers = await view.transfers();
    const page = transfers.filter((t) => t.url === `${server.api}/` || new URL(t.url).pathname.startsWith('/web/'));
    const total = transfers.reduce((sum, t) => sum + t.bytes, 0);
    const lines = transfers.map((t) => `  ${new URL(t.url).pathname.padEnd(14)} ${String(t.bytes).padStart(7)} B ${t.contentEncoding ?? 'identity'}`);
    console.log(`page transfer (headers + body as received, gzip):\n${lines.join('\n')}\n  total          ${String(total).padStart(7)} B (budget ${BUDGET_BYTES} B)`);
    expect(page).toHaveLength(3);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });
});

suite('the page is readable', () => {
  test.each(['light', 'dark'] as const)('every visible text meets WCAG AA contrast in the %s scheme', async (scheme) => {
    const browser = await launchBrowser();
    const server = await startTestDaemon();
    try {
      const view = await openServerPage(browser, server.api, { colorScheme: scheme });
      await view.page.goto(`${server.api}/`);
      await view.page.locator('#status-list dd', { hasText: 'auth.example.org' }).waitFor();
      // Something to show in every style: an error under a field, a success line, credentials.
      await view.page.getByRole('button', { name: 'Register a new account' }).click();
      await view.page.locator('#credentials').waitFor();
      await view.page.getByLabel('Addresses allowed to update the account (optional)').fill('nonsense');
      await view.page.getByLabel('Domains you want certificates for').fill('example.com');
      await view.page.getByRole('button', { name: 'Show the records and settings' }).click();
      await view.page.locator('#cname-list .record').waitFor();
      expect(await lowContrastText(view.page)).toEqual([]);
      await view.shot(`contrast-${scheme}`);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});

suite('the page with registration off', () => {
  test('says registration is closed and offers no button', async () => {
    const browser = await launchBrowser();
    const server = await startTestDaemon({ env: { ACMEDNS_API_DISABLE_REGISTRATION: 'true' } });
    try {
      const view = await openServerPage(browser, server.api);
      await view.page.goto(`${server.api}/`);
      await view.page.locator('#status-list dd', { hasText: 'closed' }).waitFor();
      expect(await view.page.locator('#register-closed').innerText()).toBe(
        'Registration is turned off on this server: ask its operator for an account, then sign in under My account.',
      );
      expect(await view.page.getByRole('button', { name: 'Register a new account' }).isVisible()).toBe(false);
      await view.shot('registration-closed');
      expect(view.problems).toEqual([]);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
