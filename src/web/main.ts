/**
 * The self-service page's entry (bundled into dist/web/app.js): builds the session and the shared
 * state, wires each section to the elements of index.html, then loads the status and, when this
 * tab kept a sign-in, the account.
 */
import { mountAccountActions } from './account-actions';
import { fetchAccount, mountAccount } from './account';
import { mountCheck } from './check';
import { byId, say } from './dom';
import { mountDomain } from './domain';
import { Failure } from './http';
import type { Page } from './page';
import { mountRegister } from './register';
import { createSession } from './session';
import { createStore } from './state';
import { loadStatus } from './status';

function start(): void {
  const session = createSession();
  const store = createStore();
  const accountMessage = byId('account-message', HTMLParagraphElement);
  const page: Page = {
    session,
    store,
    async reloadAccount() {
      const credentials = session.current();
      if (credentials === undefined) return store.set({ account: undefined });
      try {
        store.set({ account: await fetchAccount(credentials) });
      } catch (err) {
        // 401: the key was rotated elsewhere or the account deleted; anything else: keep the sign-in.
        if (err instanceof Failure && err.status === 401) session.signOut();
        say(accountMessage, err instanceof Failure ? err.message : 'Loading the account failed.', 'error');
      }
    },
  };
  // Signing in loads the account where it happens (register.ts, account.ts); signing out clears it here.
  session.onChange((credentials) => {
    if (credentials !== undefined) return;
    store.set({ account: undefined });
    byId('new-key', HTMLDivElement).hidden = true;
    byId('credentials', HTMLDivElement).hidden = true;
  });
  mountRegister(page);
  mountDomain(page);
  mountCheck(page);
  mountAccount(page, accountMessage);
  mountAccountActions(page, accountMessage);
  void loadStatus(page);
  void page.reloadAccount();
}

start();
