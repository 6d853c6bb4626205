/** Status: GET /status (public): the zone, the version, the store, and the API certificate's dates. */
import { byId, el } from './dom';
import { call, Failure } from './http';
import type { Page } from './page';
import { timeInWords } from './time';
import { Status } from './wire';

function row(label: string, value: string, kind?: 'ok' | 'error'): HTMLDivElement {
  return el('div', { class: 'row' }, el('dt', {}, label), el('dd', kind ? { 'data-kind': kind } : {}, value));
}

function rows(status: Status): HTMLDivElement[] {
  const out = [
    row('Zone', status.zone),
    row('Version', status.version),
    row('Database', status.store === 'ready' ? 'ready' : 'unavailable (updates fail until it is back)', status.store === 'ready' ? 'ok' : 'error'),
    row('Registration', status.registration ? 'open' : 'closed'),
  ];
  if (status.certificate === null) return [...out, row('Certificate', 'managed outside this server')];
  const { notAfter, renewAt } = status.certificate;
  return [...out, row('Certificate expires', timeInWords(notAfter)), row('Next renewal', renewAt === null ? 'not planned yet' : timeInWords(renewAt))];
}

/** Loads the status into the store and shows it; registration's visibility follows from it. */
export async function loadStatus(page: Page): Promise<void> {
  const list = byId('status-list', HTMLDListElement);
  try {
    const status = await call('/status', Status, { method: 'GET' });
    list.replaceChildren(...rows(status));
    page.store.set({ status });
  } catch (err) {
    list.replaceChildren(row('Server', err instanceof Failure ? err.message : 'unknown', 'error'));
  }
}
