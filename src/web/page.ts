/** What every section is given: the session, the shared state, and the one way to reload the account. */
import type { Session } from './session';
import type { Store } from './state';

/** The page's parts a section works with. */
export interface Page {
  readonly session: Session;
  readonly store: Store;
  /** GET /account for the signed-in credentials into the store; a failure signs out and says why. */
  reloadAccount(): Promise<void>;
}
