/**
 * The self-service page in Debian's Chromium against the real daemon and the loopback topology
 * (knot serving example.test, unbound as the resolver of the server's delegation check): a person
 * registers, copies the credentials, types a domain and sees its CNAME, runs the check before the
 * CNAME exists (fail) and after knot has it (pass), sees a value written through the API with its
 * age, rotates the key (old 401, new 200) and deletes the account (its name is NXDOMAIN). Each
 * step is saved as a screenshot at desktop and phone widths (test-output/screenshots/). The page
 * may reach no host but the server: test/support/browser.ts aborts and records anything else.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { send, txtValue, update, type Registration } from './support/api-client';
import { browserSkipReason, launchBrowser, openServerPage, PAGE_SECURITY_HEADERS, type ServerPage } from './support/browser';
import { rcodeOf, udpQuery } from './support/dns-client';
import { PARENT_ZONE, startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { startServer, type TopologyServer } from './topology/acmedns';

jest.setTimeout(120_000);

const skip = topologySkipReason() ?? browserSkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`web page tests skipped: ${skip}`);

const DOMAIN = `shop.${PARENT_ZONE}`;

/** The text of the <dd> of the row labelled `label` in the list `listId`. */
async function rowValue(page: Page, listId: string, label: string): Promise<string> {
  return (await page.locator(`#${listId} .row`).filter({ has: page.locator('dt', { hasText: label }) }).locator('dd code').innerText()).trim();
}

suite('the self-service page against the topology', () => {
  let topo: Topology;
  let server: TopologyServer;
  let api: string;
  let browser: Browser;
  let view: ServerPage;
  let page: Page;
  let account: Registration;

  beforeAll(async () => {
    topo = await startTopology({ startPebble: false });
    // The server's delegation check asks the topology's resolver, as a CA's would be asked.
    server = await startServer(topo, '', { api: `tls = "none"\ncheck_resolvers = ["${topo.addresses.unbound}:53"]` });
    api = server.api;
    browser = await launchBrowser();
    view = await openServerPage(browser, api);
    page = view.page;
  });
  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await server?.stop();
    await topo?.stop();
  });
  afterEach(() => {
    // Every step: nothing but the server was asked, no console error, no CSP violation.
    expect(view.foreignRequests).toEqual([]);
    expect(view.problems).toEqual([]);
    expect(view.refusals).toEqual([]);
  });

  test('the page loads with its security headers and shows the status', async () => {
    const response = await page.goto(`${api}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()).toEqual(expect.objectContaining(PAGE_SECURITY_HEADERS));
    await page.locator('#status-list dd', { hasText: ZONE }).waitFor();
    expect(await page.locator('#register-form').isVisible()).toBe(true);
    await view.shot('01-start');
  });

  test('register: the credentials are shown once, copied to the clipboard and downloadable', async () => {
    await page.getByRole('button', { name: 'Register a new account' }).click();
    await page.locator('#credentials').waitFor();
    account = {
      username: await rowValue(page, 'credentials-list', 'Username'),
      password: await rowValue(page, 'credentials-list', 'Key'),
      fulldomain: await rowValue(page, 'credentials-list', 'Full domain'),
      subdomain: await rowValue(page, 'credentials-list', 'Subdomain'),
      allowfrom: [],
    };
    expect(account.fulldomain).toBe(`${account.subdomain}.${ZONE}`);
    // The credentials work: the page showed the real ones.
    const me = await send(api, { method: 'GET', path: '/account', headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } });
    expect(me.status).toBe(200);

    for (const [label, value] of [['Username', account.username], ['Key (password)', account.password]] as const) {
      await page.getByRole('button', { name: `Copy ${label}` }).click();
      await page.getByRole('button', { name: `Copy ${label}` }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    }
    // Signed in at once (memory only): My account shows the new account.
    await page.locator('#account-details dd', { hasText: account.fulldomain }).waitFor();
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length, location.href])).toEqual(['', 0, 0, `${api}/`]);
    await view.shot('02-registered');
  });

  test('my domain: the CNAME in zone-file and provider form, the client settings, the account file', async () => {
    await page.getByLabel('Domains you want certificates for').fill(`${DOMAIN}, *.${DOMAIN}`);
    await page.getByRole('button', { name: 'Show the records and settings' }).click();
    const record = page.locator('#cname-list .record');
    await expect(record.count()).resolves.toBe(1);
    expect(await record.locator('pre').innerText()).toBe(`_acme-challenge.${DOMAIN}. 300 IN CNAME ${account.fulldomain}.`);
    expect(await rowValue(page, 'cname-list', 'Name (host)')).toBe(`_acme-challenge.${DOMAIN}`);
    expect(await rowValue(page, 'cname-list', 'Target (value)')).toBe(account.fulldomain);
    // Every client has its settings, filled in with this account.
    const clients = await page.locator('#client option').allInnerTexts();
    expect(clients).toHaveLength(8);
    await page.getByLabel('Client').selectOption('acme.sh');
    expect(await page.locator('#client-settings').innerText()).toContain(account.username);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the account file/ }).click()]);
    expect(download.suggestedFilename()).toBe('acmedns.json');
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as unknown;
    expect(file).toEqual({ [DOMAIN]: { ...account } });
    await view.shot('03-domain');
  });

  test('check before the CNAME exists: it fails and says what to create', async () => {
    expect(await page.getByLabel('Domain to check').inputValue()).toBe(DOMAIN);
    await page.getByRole('button', { name: 'Check the delegation' }).click();
    await page.locator('#check-message', { hasText: /problems? found/ }).waitFor();
    const failed = page.locator('#check-findings li.fail');
    expect(await failed.first().innerText()).toContain(`_acme-challenge.${DOMAIN} does not exist`);
    expect(await failed.first().locator('.fix').innerText()).toMatch(/^Fix: create _acme-challenge\./);
    await view.shot('04-check-fails');
  });

  test('a value written through the API appears with its age', async () => {
    const value = txtValue('web-page');
    expect((await update(api, account, value)).status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const item = page.locator('#account-values li', { hasText: value });
    await item.waitFor();
    expect(await item.locator('.age').innerText()).toMatch(/^ set (just now|\d+ seconds? ago) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    expect(await page.locator('#account-last-update').innerText()).toMatch(/^Last update: \d{4}-\d\d-\d\d \d\d:\d\d UTC \((just now|\d+ seconds? ago)\)\.$/);
    await view.shot('05-value');
  });

  test('check after the CNAME is added in the parent zone: every finding passes', async () => {
    await topo.knot.setCname(`_acme-challenge.shop`, account.fulldomain);
    await page.getByRole('button', { name: 'Check the delegation' }).click();
    await page.locator('#check-message', { hasText: `The delegation of ${DOMAIN} is correct.` }).waitFor();
    expect(await page.locator('#check-findings li.fail').count()).toBe(0);
    const passed = await page.locator('#check-findings li.pass').allInnerTexts();
    expect(passed.join('\n')).toContain(`_acme-challenge.${DOMAIN} is a CNAME to ${account.fulldomain}`);
    expect(passed.length).toBeGreaterThanOrEqual(4);
    await view.shot('06-check-passes');
  });

  test('rotate the key: the new key is shown once, the old one gets 401 and the new one 200', async () => {
    await page.getByRole('button', { name: 'Rotate the key…' }).click();
    await page.getByRole('button', { name: 'Rotate the key now' }).click();
    await page.locator('#new-key').waitFor();
    const newKey = await rowValue(page, 'new-key-list', 'New key');
    expect(newKey).not.toBe(account.password);
    // The registration's key, now wrong, is no longer on screen.
    expect(await page.locator('#credentials').isVisible()).toBe(false);
    const read = (key: string) => send(api, { method: 'GET', path: '/account', headers: { 'X-Api-User': account.username, 'X-Api-Key': key } });
    expect((await read(account.password)).status).toBe(401);
    expect((await read(newKey)).status).toBe(200);
    // The page goes on with the new key: a refresh (GET /account) keeps it signed in.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForFunction(() => !(document.getElementById('account-refresh') as HTMLButtonElement).disabled);
    expect(await page.locator('#account-message').innerText()).toMatch(/^The key is rotated/);
    expect(await page.locator('#account-view').isVisible()).toBe(true);
    await view.shot('07-rotated');
  });

  test('delete the account after typing the confirmation: its name answers NXDOMAIN', async () => {
    const target = { address: topo.addresses.acmedns, port: 53 };
    expect(rcodeOf(await udpQuery(target, { name: account.fulldomain, type: 'TXT' }))).toBe('NOERROR');
    const button = page.getByRole('button', { name: 'Delete the account' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel(/Delete the account: type/).fill('delete');
    await button.click();
    await page.locator('#account-message', { hasText: `The account ${account.username} is deleted` }).waitFor();
    expect(await page.locator('#signin-form').isVisible()).toBe(true);
    expect(rcodeOf(await udpQuery(target, { name: account.fulldomain, type: 'TXT' }))).toBe('NXDOMAIN');
    await view.shot('08-deleted');
  });
});
