/**
 * My account: sign in with username and key (memory, or this tab's sessionStorage when asked),
 * then the account as GET /account shows it: name, allow-list, the values served with their age
 * and the last update. The buttons that change it are account-actions.ts.
 */
import { busy, byId, el, say } from './dom';
import { call, Failure, type Credentials } from './http';
import type { Page } from './page';
import { ageInWords, timeInWords } from './time';
import { AccountView } from './wire';

/** GET /account for `credentials`; throws a Failure (401 included) for the caller to show. */
export function fetchAccount(credentials: Credentials): Promise<AccountView> {
  return call('/account', AccountView, { method: 'GET', auth: credentials });
}

function detail(label: string, value: string): HTMLDivElement {
  return el('div', { class: 'row' }, el('dt', {}, label), el('dd', {}, el('code', {}, value)));
}

function showAccount(view: AccountView, now: number): void {
  byId('account-details', HTMLDListElement).replaceChildren(
    detail('Username', view.username),
    detail('Full domain', view.fulldomain),
    detail('Allowed addresses', view.allowfrom.length === 0 ? 'anywhere' : view.allowfrom.join(', ')),
  );
  byId('account-last-update', HTMLParagraphElement).textContent =
    view.lastUpdate === null ? 'Never updated.' : `Last update: ${timeInWords(view.lastUpdate)} (${ageInWords(view.lastUpdate, now)}).`;
  const values = view.values.map((v) =>
    el('li', {}, el('code', { class: 'value' }, v.value), el('span', { class: 'age' }, ` set ${ageInWords(v.updatedAt, now)} (${timeInWords(v.updatedAt)})`)),
  );
  byId('account-values', HTMLUListElement).replaceChildren(...(values.length > 0 ? values : [el('li', { class: 'none' }, 'No value is served now.')]));
}

/** Wires sign-in, sign-out and the account view. */
export function mountAccount(page: Page, message: HTMLElement): void {
  const form = byId('signin-form', HTMLFormElement);
  const user = byId('signin-username', HTMLInputElement);
  const key = byId('signin-key', HTMLInputElement);
  const remember = byId('signin-remember', HTMLInputElement);
  const signInButton = byId('signin-button', HTMLButtonElement);
  const view = byId('account-view', HTMLDivElement);

  page.store.subscribe(({ account }) => {
    view.hidden = account === undefined;
    form.hidden = account !== undefined;
    if (account !== undefined) showAccount(account, Date.now());
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const credentials = { username: user.value.trim(), password: key.value.trim() };
    if (credentials.username === '' || credentials.password === '') {
      say(message, 'Type the username and the key of your account.', 'error');
      return;
    }
    void busy(signInButton, async () => {
      try {
        const account = await fetchAccount(credentials);
        key.value = '';
        page.session.signIn(credentials, remember.checked);
        page.store.set({ account });
        say(message, `Signed in as ${account.username}.`, 'ok');
      } catch (err) {
        say(message, err instanceof Failure ? err.message : 'Signing in failed.', 'error');
      }
    });
  });

  const refresh = byId('account-refresh', HTMLButtonElement);
  refresh.addEventListener('click', () => void busy(refresh, () => page.reloadAccount()));
  byId('signout', HTMLButtonElement).addEventListener('click', () => {
    page.session.signOut();
    say(message, 'Signed out. The key is no longer kept in this tab.');
    user.focus();
  });
}
