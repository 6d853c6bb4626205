/**
 * GET / and GET /web/<file>: the self-service page (issue 13), served from memory (page/assets.ts)
 * with the page's security headers, gzip when the client takes it, and `no-cache` so a new build
 * is picked up at the next load (the names carry no hash). Off with `api.web = false`: then no
 * route exists and both answer the plain 404, as before.
 */
import type { Logger } from '../../log';
import type { Handler } from '../context';
import { loadWebAssets, type WebAsset } from '../page/assets';
import { acceptsGzip, PAGE_HEADERS } from '../page/headers';

/** The reply of one file: the gzip form when it exists and the client accepts it. */
export function webAssetHandler(asset: WebAsset): Handler {
  return (ctx) => {
    const gzip = asset.gzip !== undefined && acceptsGzip(ctx.header('accept-encoding'));
    const headers: Record<string, string> = { ...PAGE_HEADERS, 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache' };
    // Caches must key on Accept-Encoding whenever the answer depends on it (RFC 9110 §12.5.5).
    if (asset.gzip !== undefined) headers.Vary = 'Accept-Encoding';
    if (gzip) headers['Content-Encoding'] = 'gzip';
    return Promise.resolve({ status: 200, headers, body: gzip && asset.gzip !== undefined ? asset.gzip : asset.body });
  };
}

/** The page's routes from the files under `root`: `/` (index.html) and `/web/<file>`; none when it is not built. */
export function webRoutes(root: string, logger: Logger): [string, Record<string, Handler>][] {
  const loaded = loadWebAssets(root);
  if ('missing' in loaded) {
    logger.warn({ reason: loaded.missing }, 'the self-service page is not built (npm run build): / answers 404');
    return [];
  }
  const index = loaded.assets.find((a) => a.route === '/web/index.html');
  const routes: [string, Record<string, Handler>][] = loaded.assets.map((a) => [a.route, { GET: webAssetHandler(a) }]);
  if (index !== undefined) routes.unshift(['/', { GET: webAssetHandler(index) }]);
  return routes;
}
