/**
 * Who is signed in: the username and key in memory, and in sessionStorage only when the person
 * asks to stay signed in for this tab (gone when the tab closes). Never the URL, a cookie or
 * localStorage: the key would outlive the tab or travel with links and requests.
 */
import type { Credentials } from './http';

const KEY = 'acmedns.signin';

/** The signed-in credentials and whoever wants to know when they change. */
export interface Session {
  current(): Credentials | undefined;
  /** Signs in; `remember` keeps the credentials in this tab's sessionStorage across reloads. */
  signIn(credentials: Credentials, remember: boolean): void;
  /** The key changed (rotation): kept where the old one was. */
  replaceKey(password: string): void;
  signOut(): void;
  onChange(listener: (credentials: Credentials | undefined) => void): void;
}

function stored(): Credentials | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return undefined;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { username, password } = value as Record<string, unknown>;
    return typeof username === 'string' && typeof password === 'string' ? { username, password } : undefined;
  } catch {
    // Storage turned off or a damaged entry: start signed out.
    return undefined;
  }
}

function store(credentials: Credentials | undefined): void {
  try {
    if (credentials === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify(credentials));
  } catch {
    // Storage turned off: the credentials stay in memory only.
  }
}

/** The page's one session, starting from this tab's sessionStorage when the person asked for it. */
export function createSession(): Session {
  let credentials = stored();
  let remembered = credentials !== undefined;
  const listeners: ((c: Credentials | undefined) => void)[] = [];
  const changed = (): void => listeners.forEach((l) => l(credentials));
  return {
    current: () => credentials,
    signIn(next, remember) {
      credentials = { username: next.username, password: next.password };
      remembered = remember;
      store(remember ? credentials : undefined);
      changed();
    },
    replaceKey(password) {
      if (credentials === undefined) return;
      credentials = { username: credentials.username, password };
      if (remembered) store(credentials);
      changed();
    },
    signOut() {
      credentials = undefined;
      remembered = false;
      store(undefined);
      changed();
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
