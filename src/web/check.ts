/**
 * Check: the server runs `acmedns check-delegation`'s checks for a domain and the signed-in
 * account (POST /account/check); each finding is shown as pass or fail with its fix.
 */
import { busy, byId, el, say } from './dom';
import { call, Failure } from './http';
import { parseDomains } from './inputs';
import type { Page } from './page';
import { CheckReport } from './wire';

function findingItem(finding: CheckReport['findings'][number]): HTMLLIElement {
  const verdict = finding.ok ? 'Pass' : 'Fail';
  return el(
    'li',
    { class: finding.ok ? 'pass' : 'fail' },
    el('strong', { class: 'verdict' }, verdict),
    ' ',
    el('span', {}, finding.text),
    ...(finding.fix === undefined ? [] : [el('p', { class: 'fix' }, `Fix: ${finding.fix}`)]),
  );
}

/** Wires the Check section. */
export function mountCheck(page: Page): void {
  const form = byId('check-form', HTMLFormElement);
  const field = byId('check-domain', HTMLInputElement);
  const button = byId('check-button', HTMLButtonElement);
  const message = byId('check-message', HTMLParagraphElement);
  const list = byId('check-findings', HTMLUListElement);

  page.store.subscribe(({ domains, account }) => {
    // The first domain typed under My domain, unless the person typed one here.
    if (field.value === '' && domains[0] !== undefined) field.value = domains[0];
    byId('check-signed-out', HTMLParagraphElement).hidden = account !== undefined;
    button.disabled = account === undefined;
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const credentials = page.session.current();
    if (credentials === undefined) {
      say(message, 'Sign in under My account first.', 'error');
      return;
    }
    const parsed = parseDomains(field.value);
    const domain = parsed.ok ? parsed.values[0] : undefined;
    if (!parsed.ok || domain === undefined || parsed.values.length > 1) {
      say(message, parsed.ok ? 'Check one domain at a time.' : parsed.error, 'error');
      field.setAttribute('aria-invalid', 'true');
      return;
    }
    field.setAttribute('aria-invalid', 'false');
    void busy(button, async () => {
      list.replaceChildren();
      say(message, `Checking ${domain}…`);
      try {
        const report = await call('/account/check', CheckReport, { method: 'POST', body: { domain }, auth: credentials });
        const failed = report.findings.filter((f) => !f.ok).length;
        list.replaceChildren(...report.findings.map(findingItem));
        say(
          message,
          failed === 0 ? `The delegation of ${report.domain} is correct.` : `${failed} problem${failed === 1 ? '' : 's'} found for ${report.domain}.`,
          failed === 0 ? 'ok' : 'error',
        );
      } catch (err) {
        say(message, err instanceof Failure ? err.message : 'The check failed.', 'error');
      }
    });
  });
}
