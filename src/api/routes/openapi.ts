/** GET /openapi.json: the OpenAPI 3.1 document of the routes this server serves. */
import type { Handler } from '../context';
import { openApiDocument } from '../openapi/document';
import { jsonReply } from '../http/reply';

/** The handler; the document is built once, from the route table app.ts serves. */
export function openApiHandler(served: ReadonlyMap<string, readonly string[]>): Handler {
  const body = JSON.stringify(openApiDocument(served));
  return () => Promise.resolve(jsonReply(200, body));
}
