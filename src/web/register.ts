/**
 * Register: one button, an optional allow-list checked as /register checks it, the credentials
 * shown once with copy buttons and the acme-dns JSON file to download. Hidden with a sentence
 * when /status says registration is off. A new account is signed in (memory only) at once.
 */
import { accountJson } from '../core/client-settings';
import { busy, byId, copyRow, download, say } from './dom';
import { call, Failure } from './http';
import { parseAllowList } from './inputs';
import type { Page } from './page';
import { Registration } from './wire';

/** The account file's name, as lego's ACME_DNS_STORAGE_PATH and the certbot hook examples call it. */
export const ACCOUNT_FILE = 'acmedns.json';

function showCredentials(created: Registration): void {
  byId('credentials-list', HTMLDListElement).replaceChildren(
    copyRow('Username', created.username),
    copyRow('Key (password)', created.password),
    copyRow('Full domain', created.fulldomain),
    copyRow('Subdomain', created.subdomain),
    copyRow('Allowed addresses', created.allowfrom.length === 0 ? 'anywhere' : created.allowfrom.join(', ')),
  );
  byId('credentials', HTMLDivElement).hidden = false;
  byId('credentials-heading', HTMLHeadingElement).focus();
}

function fileHint(domains: readonly string[]): string {
  return domains.length === 0
    ? 'Type your domains under My domain to put them in the file (one entry per domain).'
    : `The file holds this account for ${domains.join(', ')}.`;
}

/** Wires the Register section. */
export function mountRegister(page: Page): void {
  const form = byId('register-form', HTMLFormElement);
  const field = byId('allowfrom', HTMLTextAreaElement);
  const fieldError = byId('allowfrom-error', HTMLParagraphElement);
  const message = byId('register-message', HTMLParagraphElement);
  const button = byId('register-button', HTMLButtonElement);
  let created: Registration | undefined;

  byId('credentials-download', HTMLButtonElement).addEventListener('click', () => {
    if (created) download(ACCOUNT_FILE, accountJson(created, page.store.get().domains));
  });
  page.store.subscribe(({ domains }) => {
    // The file is keyed by domain: without one it would hold nothing.
    byId('credentials-download', HTMLButtonElement).disabled = domains.length === 0;
    byId('credentials-download-hint', HTMLParagraphElement).textContent = fileHint(domains);
  });

  page.store.subscribe(({ status }) => {
    const closed = status !== undefined && !status.registration;
    byId('register-closed', HTMLParagraphElement).hidden = !closed;
    form.hidden = closed;
  });
  field.addEventListener('input', () => {
    const parsed = parseAllowList(field.value);
    say(fieldError, parsed.ok ? '' : parsed.error, 'error');
    field.setAttribute('aria-invalid', String(!parsed.ok));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = parseAllowList(field.value);
    if (!parsed.ok) {
      say(fieldError, parsed.error, 'error');
      field.focus();
      return;
    }
    void busy(button, async () => {
      say(message, 'Registering…');
      try {
        const body = parsed.values.length === 0 ? undefined : { allowfrom: parsed.values };
        created = await call('/register', Registration, { method: 'POST', ...(body ? { body } : {}) });
        say(message, 'Registered. Your account is below, and you are signed in until you close this tab.', 'ok');
        showCredentials(created);
        page.session.signIn(created, false);
        await page.reloadAccount();
      } catch (err) {
        say(message, err instanceof Failure ? err.message : 'Registration failed.', 'error');
      }
    });
  });
}
