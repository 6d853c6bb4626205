/**
 * The page's forms against the real daemon, in Debian's Chromium, for what the end-to-end test
 * (web-page.test.ts) does not reach: an allow-list the API would refuse is refused before any
 * request, a registration allow-list reaches the account, a copy button without the clipboard API
 * selects the text instead, the rate limit is said in words with its wait, a wrong key is refused,
 * "stay signed in" survives a reload in sessionStorage only (never a cookie, localStorage or the
 * URL) and signing out forgets it, and clearing the values empties them, by keyboard alone. The
 * origin guard of test/support/browser.ts is itself shown to catch another host.
 */
import type { Browser } from 'playwright-core';
import { send, txtValue, update, type Registration } from './support/api-client';
import { browserSkipReason, launchBrowser, openServerPage, type ServerPage } from './support/browser';
import { startTestDaemon, type TestDaemon } from './support/daemon';

const skip = browserSkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`web page tests skipped: ${skip}`);

suite('the page\'s forms', () => {
  let browser: Browser;
  let server: TestDaemon;
  let view: ServerPage;
  /** An account made through the API from `address` (each address has its one registration an hour). */
  const registerFrom = async (address: string): Promise<Registration> => {
    const res = await send(server.api, { path: '/register', localAddress: address });
    expect(res.status).toBe(201);
    return JSON.parse(res.body) as Registration;
  };
  const registrations = (): number => view.requests.filter((r) => r === 'POST /register').length;

  beforeAll(async () => {
    browser = await launchBrowser();
    // One registration an hour from an address: the second is refused with a wait of an hour.
    server = await startTestDaemon({ extra: '[ratelimit]\nregister_per_hour = 1\nregister_burst = 1\n' });
    view = await openServerPage(browser, server.api);
    await view.page.goto(`${server.api}/`);
    await view.page.locator('#status-list dd', { hasText: 'auth.example.org' }).waitFor();
  });
  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await server?.stop();
  });
  afterEach(() => {
    expect(view.foreignRequests).toEqual([]);
    expect(view.problems).toEqual([]);
    expect(view.refusals).toEqual([]);
  });

  test('an allow-list entry that is no CIDR is named at once and nothing is sent', async () => {
    const field = view.page.getByLabel('Addresses allowed to update the account (optional)');
    await field.fill('192.0.2.0/24, 192.0.2.7');
    expect(await view.page.locator('#allowfrom-error').innerText()).toBe(
      'Not an address range: 192.0.2.7. Write each as address/prefix, e.g. 192.0.2.0/24 or 2001:db8::/32.',
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await view.page.getByRole('button', { name: 'Register a new account' }).click();
    expect(registrations()).toBe(0);
    await view.shot('allowfrom-invalid');
  });

  test('a valid allow-list is registered with the account', async () => {
    await view.page.getByLabel('Addresses allowed to update the account (optional)').fill('127.0.0.0/8\n[::1]/128');
    expect(await view.page.locator('#allowfrom-error').isVisible()).toBe(false);
    await view.page.getByRole('button', { name: 'Register a new account' }).click();
    await view.page.locator('#credentials').waitFor();
    expect(await view.page.locator('#credentials-list .row', { hasText: 'Allowed addresses' }).locator('code').innerText()).toBe('127.0.0.0/8, ::1/128');
    expect(registrations()).toBe(1);
  });

  test('without the clipboard API (no secure context) a copy button selects the value for copying by hand', async () => {
    const account = await registerFrom('127.0.0.4');
    const other = await openServerPage(browser, server.api);
    try {
      // What a page served over plain HTTP from another host gets: no navigator.clipboard at all.
      await other.page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
      await other.page.goto(`${server.api}/`);
      await other.page.getByLabel('Username', { exact: true }).fill(account.username);
      await other.page.getByLabel('Key', { exact: true }).fill(account.password);
      await other.page.getByRole('button', { name: 'Sign in' }).click();
      await other.page.getByLabel('Domains you want certificates for').fill('example.com');
      await other.page.getByRole('button', { name: 'Show the records and settings' }).click();
      const button = other.page.getByRole('button', { name: 'Copy Name (host) for example.com' });
      await button.click();
      await button.filter({ hasText: 'Selected: copy it' }).waitFor();
      expect(await other.page.evaluate(() => window.getSelection()?.toString())).toBe('_acme-challenge.example.com');
      expect(other.problems).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('the rate limit is said in words with the wait from Retry-After', async () => {
    await view.page.getByRole('button', { name: 'Register a new account' }).click();
    await view.page.locator('#register-message', { hasText: 'Too many requests' }).waitFor();
    expect(view.refusals.splice(0)).toEqual([expect.stringContaining('status of 429')]);
    expect(await view.page.locator('#register-message').innerText()).toBe('Too many requests from you or for this account: try again in 60 minutes.');
    await view.shot('register-rate-limited');
  });

  test('signing in: a wrong key is refused; "stay signed in" keeps the sign-in in this tab\'s sessionStorage only', async () => {
    const account = await registerFrom('127.0.0.2');
    const page = view.page;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username', { exact: true }).fill(account.username);
    await page.getByLabel('Key', { exact: true }).fill('x'.repeat(40));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#account-message', { hasText: 'The username or key is wrong' }).waitFor();
    expect(view.refusals.splice(0)).toEqual([expect.stringContaining('status of 401')]);

    await page.getByLabel('Key', { exact: true }).fill(account.password);
    await page.getByLabel('Stay signed in until this tab is closed').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#account-details dd', { hasText: account.fulldomain }).waitFor();
    await page.reload();
    await page.locator('#account-details dd', { hasText: account.fulldomain }).waitFor();
    const kept = await page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: Object.keys(sessionStorage), url: location.href }));
    expect(kept).toEqual({ cookie: '', local: 0, session: ['acmedns.signin'], url: `${server.api}/` });
    expect((await view.context.cookies()).length).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    await page.locator('#signin-form').waitFor();
    expect(await page.locator('#account-view').isVisible()).toBe(false);
  });

  test('signing in and clearing the values by keyboard: none is served afterwards', async () => {
    const account = await registerFrom('127.0.0.3');
    expect((await update(server.api, account, txtValue('clear-me'))).status).toBe(200);
    const page = view.page;
    // By keyboard only: type, Tab to the next field, the checkbox, the button, Enter.
    await page.getByLabel('Username', { exact: true }).focus();
    await page.keyboard.type(account.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-remember');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-button');
    await page.keyboard.press('Enter');
    await page.locator('#account-values li', { hasText: txtValue('clear-me') }).waitFor();
    await page.getByRole('button', { name: 'Clear the values' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#account-values li', { hasText: 'No value is served now.' }).waitFor();
    const me = await send(server.api, { method: 'GET', path: '/account', headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } });
    expect((JSON.parse(me.body) as { txt: string[] }).txt).toEqual([]);
    await view.shot('values-cleared');
  });

  test('the origin guard works: a request to another host is aborted and recorded', async () => {
    const other = await openServerPage(browser, server.api);
    try {
      await expect(other.page.goto('http://127.0.0.9:9/elsewhere')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
      expect(other.foreignRequests).toEqual(['http://127.0.0.9:9/elsewhere']);
    } finally {
      await other.close();
    }
  });
});
