/**
 * What the sections share: the server's status, the signed-in account as GET /account shows it,
 * and the domains typed under My domain. One store; a section subscribes to what it shows.
 */
import type { AccountView, Status } from './wire';

/** The page's shared state. */
export interface PageState {
  readonly status: Status | undefined;
  /** The signed-in account (undefined: signed out or not loaded yet). */
  readonly account: AccountView | undefined;
  /** The domains typed under My domain, parsed. */
  readonly domains: readonly string[];
}

/** The store of PageState. */
export interface Store {
  get(): PageState;
  set(change: Partial<PageState>): void;
  subscribe(listener: (state: PageState) => void): void;
}

/** A store starting with nothing known. */
export function createStore(): Store {
  let state: PageState = { status: undefined, account: undefined, domains: [] };
  const listeners: ((s: PageState) => void)[] = [];
  return {
    get: () => state,
    set(change) {
      state = { ...state, ...change };
      for (const listener of listeners) listener(state);
    },
    subscribe(listener) {
      listeners.push(listener);
      listener(state);
    },
  };
}
