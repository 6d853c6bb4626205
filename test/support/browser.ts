/**
 * The one browser helper: Debian's Chromium (/usr/bin/chromium, never a downloaded one) driven
 * headless by playwright-core, with a page that may reach only the server under test. Every
 * request to another origin is aborted and remembered (a test asserts there were none), console
 * errors, CSP violations and uncaught exceptions are collected, the bytes each response took on
 * the wire are counted, and `shot` saves the page at desktop and phone widths under
 * test-output/screenshots/ (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's package `chromium` (scripts/test installs it). */
export const CHROMIUM = '/usr/bin/chromium';
/** Where `shot` writes; git-ignored. */
export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/screenshots');

/** A desktop and a phone viewport (an iPhone 12-sized one). */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/**
 * The flags the machine notes name: no GPU, no QUIC, nothing in the background (sync, component
 * updates, field trials) so no connection leaves loopback; a fresh profile is playwright's own.
 */
const FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (scripts/test installs Debian's chromium as root)`;
}

/** Starts headless Chromium (as root it needs --no-sandbox, which chromiumSandbox: false gives). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: FLAGS });
}

/** One response as the browser received it. */
export interface Transfer {
  readonly url: string;
  readonly status: number;
  /** Bytes on the wire: headers plus the (encoded, e.g. gzip) body. */
  readonly bytes: number;
  readonly contentEncoding: string | undefined;
}

/** A page confined to one server, with what happened on it. */
export interface ServerPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Requests to any origin but the server's, all aborted. */
  readonly foreignRequests: string[];
  /** Console errors, CSP violations, uncaught exceptions. */
  readonly problems: string[];
  /** Every response so far, once the browser has counted its bytes. */
  transfers(): Promise<readonly Transfer[]>;
  /** Saves `<name>-desktop.png` and `<name>-phone.png` (full page), then returns to the desktop width. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a context that may talk only to `serverUrl`'s origin, clipboard allowed, and a page in it. */
export async function openServerPage(browser: Browser, serverUrl: string): Promise<ServerPage> {
  const origin = new URL(serverUrl).origin;
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true, serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const foreignRequests: string[] = [];
  const problems: string[] = [];
  const transfers: Promise<Transfer | undefined>[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
  page.on('requestfinished', (request) => {
    transfers.push(
      (async () => {
        const response = await request.response();
        if (!response) return undefined;
        const sizes = await request.sizes();
        return {
          url: request.url(),
          status: response.status(),
          bytes: sizes.responseHeadersSize + sizes.responseBodySize,
          contentEncoding: (await response.allHeaders())['content-encoding'],
        };
      })(),
    );
  });
  // Violations reach the console too, but this names the directive whatever the console says.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    page,
    context,
    foreignRequests,
    problems,
    transfers: async () => (await Promise.all(transfers)).filter((t): t is Transfer => t !== undefined),
    async shot(name) {
      for (const [label, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
      }
      await page.setViewportSize(VIEWPORTS.desktop);
    },
    close: () => context.close(),
  };
}
