/**
 * The buttons that change the signed-in account: clear its values (DELETE /account/txt), rotate
 * its key (POST /account/key; the new key shown once, the old one refused from then on) and
 * delete it (DELETE /account) after the person types "delete".
 */
import { busy, byId, copyRow, say } from './dom';
import { call, callNoContent, Failure } from './http';
import type { Page } from './page';
import { NewKey } from './wire';

/** What the person types to confirm the deletion. */
export const DELETE_WORD = 'delete';

function failed(message: HTMLElement, err: unknown, what: string): void {
  say(message, err instanceof Failure ? err.message : `${what} failed.`, 'error');
}

/** Wires clear, rotate (with its confirmation step) and delete (with its typed confirmation). */
export function mountAccountActions(page: Page, message: HTMLElement): void {
  const clear = byId('clear-values', HTMLButtonElement);
  clear.addEventListener('click', () =>
    void busy(clear, async () => {
      const credentials = page.session.current();
      if (!credentials) return;
      try {
        await callNoContent('/account/txt', { method: 'DELETE', auth: credentials });
        say(message, 'The values are cleared: nothing is served for your name now.', 'ok');
        await page.reloadAccount();
      } catch (err) {
        failed(message, err, 'Clearing the values');
      }
    }),
  );

  const rotate = byId('rotate-key', HTMLButtonElement);
  const confirmRotate = byId('rotate-confirm', HTMLDivElement);
  const rotateNow = byId('rotate-now', HTMLButtonElement);
  rotate.addEventListener('click', () => {
    confirmRotate.hidden = false;
    rotateNow.focus();
  });
  byId('rotate-cancel', HTMLButtonElement).addEventListener('click', () => {
    confirmRotate.hidden = true;
    rotate.focus();
  });
  rotateNow.addEventListener('click', () =>
    void busy(rotateNow, async () => {
      const credentials = page.session.current();
      if (!credentials) return;
      try {
        const next = await call('/account/key', NewKey, { method: 'POST', auth: credentials });
        page.session.replaceKey(next.password);
        confirmRotate.hidden = true;
        byId('new-key-list', HTMLDListElement).replaceChildren(copyRow('New key', next.password));
        byId('new-key', HTMLDivElement).hidden = false;
        // The key shown at registration (and its file) no longer works: not left on screen.
        byId('credentials', HTMLDivElement).hidden = true;
        say(message, 'The key is rotated: the old key no longer works. Put the new one in every client.', 'ok');
      } catch (err) {
        failed(message, err, 'Rotating the key');
      }
    }),
  );

  const deleteForm = byId('delete-form', HTMLFormElement);
  const confirmField = byId('delete-confirm', HTMLInputElement);
  const deleteButton = byId('delete-button', HTMLButtonElement);
  confirmField.addEventListener('input', () => (deleteButton.disabled = confirmField.value.trim().toLowerCase() !== DELETE_WORD));
  deleteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (confirmField.value.trim().toLowerCase() !== DELETE_WORD) return;
    void busy(deleteButton, async () => {
      const credentials = page.session.current();
      if (!credentials) return;
      try {
        await callNoContent('/account', { method: 'DELETE', auth: credentials });
        confirmField.value = '';
        page.session.signOut();
        say(message, `The account ${credentials.username} is deleted: its name no longer exists and its key no longer works.`, 'ok');
      } catch (err) {
        failed(message, err, 'Deleting the account');
      }
    }).then(() => (deleteButton.disabled = confirmField.value.trim().toLowerCase() !== DELETE_WORD));
  });
}
