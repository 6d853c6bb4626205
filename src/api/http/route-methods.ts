/**
 * A route's methods on Express, answered as acme-dns's httprouter answers them: the table's
 * methods go to their handlers; any other method gets 405 with `Allow` (the route's methods plus
 * OPTIONS, sorted), and OPTIONS gets 200 with that `Allow` and no body. Express alone would let a
 * wrong method fall through to 404, answer OPTIONS itself with a body (`GET,HEAD`), and serve HEAD
 * with the GET handler.
 */
import type { IRoute, RequestHandler } from 'express';
import { readBody } from '../bodies/raw';
import type { Handler } from '../context';
import type { Exchanges } from './exchange';
import { methodNotAllowedReply } from './reply';

/** How each method of the table is registered with Express (a method new to the table is added here). */
const REGISTER_METHOD: Readonly<Record<string, (route: IRoute, handler: RequestHandler) => void>> = {
  GET: (route, handler) => route.get(handler),
  POST: (route, handler) => route.post(handler),
  DELETE: (route, handler) => route.delete(handler),
};

/** httprouter's `Allow` value: the route's methods plus OPTIONS, sorted. */
export function allowHeader(methods: Readonly<Record<string, Handler>>): string {
  return [...Object.keys(methods), 'OPTIONS'].sort().join(', ');
}

/** What serving a route's methods needs. */
export interface RouteMethodsSetup {
  readonly exchanges: Exchanges;
  /** The body limit handlers read with (`max_body_bytes`). */
  readonly maxBodyBytes: number;
}

/**
 * Registers `methods` on `route`, then 405/OPTIONS for every other method. A handler's reply is
 * sent as `ok`; what it throws goes to the app's error handler (Express 5 passes rejections on).
 */
export function serveRouteMethods(route: IRoute, methods: Readonly<Record<string, Handler>>, setup: RouteMethodsSetup): void {
  const { exchanges, maxBodyBytes } = setup;
  for (const [method, handler] of Object.entries(methods)) {
    const register = REGISTER_METHOD[method];
    if (register === undefined) throw new Error(`route ${route.path}: no Express registration for ${method}`);
    register(route, async (req) => {
      const exchange = exchanges.of(req);
      const reply = await handler({ client: exchange.client, header: exchange.header, body: () => readBody(req, maxBodyBytes) });
      exchange.rec.outcome = 'ok';
      exchange.send(reply);
    });
  }
  const allow = allowHeader(methods);
  const otherMethods: RequestHandler = (req) => {
    const exchange = exchanges.of(req);
    const options = req.method === 'OPTIONS';
    exchange.rec.outcome = options ? 'options' : 'method_not_allowed';
    exchange.send(options ? { status: 200, headers: { Allow: allow }, body: '' } : methodNotAllowedReply(allow));
  };
  // Registered, HEAD no longer reaches the GET handler (httprouter: 405, as the table routes no HEAD).
  route.head(otherMethods);
  route.all(otherMethods);
}
