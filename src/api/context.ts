/** What a route handler gets and returns; handlers never touch the response object. */
import type { ClientAddress } from './http/client-ip';
import type { Reply } from './http/reply';

/** One request, as the handlers see it. */
export interface RequestContext {
  /** The client address (peer, or the forwarding header behind a trusted proxy). */
  readonly client: ClientAddress;
  /** The first value of a request header (case-insensitive name), as Go's Header.Get. */
  header(name: string): string | undefined;
  /** The raw body, at most `maxBodyBytes` (else ApiError payload_too_large). Call once. */
  body(): Promise<Buffer>;
}

/** A route handler: a reply, or a throw that errors.ts maps. */
export type Handler = (ctx: RequestContext) => Promise<Reply>;
