/** The few DOM helpers every section uses: find an element, build one, show a message, copy, download. */

/** The element with this id, of this type; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return el;
}

/** A new element with text content and attributes (text, never HTML: server strings stay inert). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Shows `text` in a status line (role=status or alert in index.html); empty hides it. */
export function say(target: HTMLElement, text: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  target.textContent = text;
  target.dataset['kind'] = kind;
  target.hidden = text === '';
}

/** Runs `action` with `button` disabled, so a double click sends one request. */
export async function busy(button: HTMLButtonElement, action: () => Promise<void>): Promise<void> {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/**
 * A button that copies `text()` to the clipboard and says so on itself. Without the clipboard API
 * (a page served over plain HTTP from another host is no secure context) it selects `source`, so
 * the person can copy by hand.
 */
export function copyButton(label: string, text: () => string, source?: () => Node | null): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${label}` }, 'Copy');
  button.addEventListener('click', () => {
    const byHand = (): void => {
      const node = source?.();
      if (node) window.getSelection()?.selectAllChildren(node);
      flash(button, node ? 'Selected: copy it' : 'Copy by hand');
    };
    // navigator.clipboard is undefined outside a secure context, whatever the types say.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) return byHand();
    clipboard.writeText(text()).then(() => flash(button, 'Copied'), byHand);
  });
  return button;
}

function flash(button: HTMLButtonElement, text: string): void {
  button.textContent = text;
  window.setTimeout(() => (button.textContent = 'Copy'), 2000);
}

/** Offers `text` as a file download named `name` (a Blob URL: no server round trip, allowed by the CSP). */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A labelled value with a copy button, as a row of a <dl>. */
export function copyRow(label: string, value: string): HTMLDivElement {
  const code = el('code', {}, value);
  return el('div', { class: 'row' }, el('dt', {}, label), el('dd', {}, code, copyButton(label, () => value, () => code)));
}
