/**
 * My domain: the domains typed -> the CNAME record(s) to add, as a zone-file line and as the
 * fields a DNS provider's form asks for, and the signed-in account's settings for each ACME client
 * (core/client-settings, the same module the examples/ folder is checked against).
 */
import { clientSettings, cnameRecords, type AccountForSettings, type ClientSettings, type CnameRecord } from '../core/client-settings';
import { byId, copyButton, download, el, say } from './dom';
import { parseDomains } from './inputs';
import type { Page } from './page';

function cnameBlock(record: CnameRecord): HTMLElement {
  const field = (label: string, value: string): HTMLElement => {
    const code = el('code', {}, value);
    return el('div', { class: 'row' }, el('dt', {}, label), el('dd', {}, code, copyButton(`${label} for ${record.domain}`, () => value, () => code)));
  };
  const zoneLine = el('pre', {}, el('code', {}, record.zoneLine));
  return el(
    'article',
    { class: 'record' },
    el('h4', {}, `For ${record.domain}`),
    el('p', {}, 'Zone-file line:'),
    el('div', { class: 'code' }, zoneLine, copyButton(`zone-file line for ${record.domain}`, () => record.zoneLine, () => zoneLine)),
    el('p', {}, 'Or in your DNS provider\'s form:'),
    el(
      'dl',
      {},
      field('Type', 'CNAME'),
      field('Name (host)', record.name),
      field('Target (value)', record.target),
    ),
    el('p', { class: 'hint' }, 'Some providers want the name without your domain at the end (only "_acme-challenge" for the domain itself). Any TTL will do.'),
  );
}

function settingsBlock(settings: ClientSettings): HTMLElement[] {
  const files = settings.files.map((file) => {
    const text = el('pre', {}, el('code', { 'data-language': file.language }, file.text));
    return el(
      'article',
      { class: 'file' },
      el('h4', {}, file.name),
      el('div', { class: 'code' }, text, copyButton(file.name, () => file.text, () => text)),
      downloadButton(file.name, file.text),
    );
  });
  return settings.note === undefined ? files : [el('p', {}, settings.note), ...files];
}

function downloadButton(name: string, text: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'secondary' }, `Download ${name}`);
  button.addEventListener('click', () => download(name.replace(/^.*\//, ''), text, 'text/plain'));
  return button;
}

/** Wires the My domain section. */
export function mountDomain(page: Page): void {
  const form = byId('domain-form', HTMLFormElement);
  const field = byId('domains', HTMLInputElement);
  const error = byId('domains-error', HTMLParagraphElement);
  const output = byId('domain-output', HTMLDivElement);
  const select = byId('client', HTMLSelectElement);
  let all: readonly ClientSettings[] = [];

  const showClient = (): void => {
    const chosen = all.find((s) => s.id === select.value) ?? all[0];
    byId('client-settings', HTMLDivElement).replaceChildren(...(chosen ? settingsBlock(chosen) : []));
  };
  select.addEventListener('change', showClient);

  const render = (): void => {
    const { account, domains } = page.store.get();
    const credentials = page.session.current();
    byId('domain-signed-out', HTMLParagraphElement).hidden = account !== undefined;
    if (account === undefined || credentials === undefined || domains.length === 0) {
      output.hidden = true;
      return;
    }
    const forSettings: AccountForSettings = {
      username: account.username,
      password: credentials.password,
      fulldomain: account.fulldomain,
      subdomain: account.subdomain,
      allowfrom: account.allowfrom,
    };
    byId('cname-list', HTMLDivElement).replaceChildren(...cnameRecords(domains, account.fulldomain).map(cnameBlock));
    all = clientSettings({ account: forSettings, serverUrl: location.origin, domains });
    const keep = select.value;
    select.replaceChildren(...all.map((s) => el('option', { value: s.id }, s.title)));
    if (all.some((s) => s.id === keep)) select.value = keep;
    showClient();
    output.hidden = false;
  };
  page.store.subscribe(render);
  page.session.onChange(render);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = parseDomains(field.value);
    field.setAttribute('aria-invalid', String(!parsed.ok));
    if (!parsed.ok) {
      say(error, parsed.error, 'error');
      return;
    }
    say(error, '');
    page.store.set({ domains: parsed.values });
    if (page.store.get().account === undefined) field.focus();
  });
}
