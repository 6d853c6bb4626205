/**
 * The raw request body, read whatever the Content-Type says (clients send JSON as
 * application/json, x-www-form-urlencoded, text/plain or with no type at all: clients.md §9),
 * with a size limit acme-dns never had.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors';

/** The client went away before its body arrived; there is nobody to answer. */
export class BodyAbortedError extends Error {
  constructor() {
    super('client closed the connection before the request body arrived');
    this.name = 'BodyAbortedError';
  }
}

/**
 * Reads the whole body into memory; ApiError `payload_too_large` as soon as it (or its
 * Content-Length) exceeds `limit` bytes, without reading the rest.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new ApiError('payload_too_large', `Content-Length ${declared} > ${limit}`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop reading; the reply goes out with `Connection: close` (http/exchange.ts) so the rest is never read.
        req.pause();
        reject(new ApiError('payload_too_large', `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onAbort = (): void => {
      cleanup();
      reject(new BodyAbortedError());
    };
    const onClose = (): void => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
