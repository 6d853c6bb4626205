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
/**
 * The headers every file of the page must carry (issue 13's contract, written out here rather than
 * imported from src/api, so a change there fails the tests): scripts, styles and requests from the
 * server only, no inline code, no framing, no sniffing, no referrer, a browsing context of its own.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
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
  /** `METHOD /path` of every request to the server, in order. */
  readonly requests: string[];
  /** Console errors, CSP violations, uncaught exceptions (not the refusals below). */
  readonly problems: string[];
  /** Chromium's console line for each 4xx/5xx answer ("... status of 429 ..."): the page's refusals, expected by some tests. */
  readonly refusals: string[];
  /** Every response so far, once the browser has counted its bytes. */
  transfers(): Promise<readonly Transfer[]>;
  /** Saves `<name>-desktop.png` and `<name>-phone.png` (full page), then returns to the desktop width. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a context that may talk only to `serverUrl`'s origin, clipboard allowed, and a page in it. */
export async function openServerPage(browser: Browser, serverUrl: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<ServerPage> {
  const origin = new URL(serverUrl).origin;
  const context = await browser.newContext({
    viewport: VIEWPORTS.desktop,
    acceptDownloads: true,
    serviceWorkers: 'block',
    colorScheme: options.colorScheme ?? 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const foreignRequests: string[] = [];
  const problems: string[] = [];
  const requests: string[] = [];
  const refusals: string[] = [];
  const transfers: Promise<Transfer | undefined>[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      requests.push(`${route.request().method()} ${new URL(url).pathname}`);
      return route.continue();
    }
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx/5xx fetch this way; a refusal the page shows in words is no defect.
    if (m.text().startsWith('Failed to load resource: the server responded with a status of')) refusals.push(m.text());
    else problems.push(`console: ${m.text()}`);
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
    requests,
    problems,
    refusals,
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

/**
 * The visible text on the page whose contrast with what is behind it is below WCAG 2.x AA (4.5:1;
 * 3:1 for large text), as `text (ratio)`. The background is the nearest ancestor's opaque colour;
 * disabled controls are exempt (WCAG 1.4.3).
 */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
      const [R = 0, G = 0, B = 0] = [r, g, b].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const low: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own || !(el instanceof HTMLElement) || el.offsetParent === null || el.closest(':disabled')) continue;
      const style = getComputedStyle(el);
      const [l1, l2] = [luminance(rgb(style.color)), luminance(background(el))].sort((a, b) => b - a) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) low.push(`${(el.textContent ?? '').trim().slice(0, 40)} (${ratio.toFixed(2)})`);
    }
    return low;
  });
}
