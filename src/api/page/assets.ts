/**
 * The self-service page's built files (dist/web: index.html, app.js, app.css, whatever the bundle
 * emits), read once when the app is built and held in memory with their gzip forms. Only the files
 * found then are ever served, each at its own exact route, so no request path reaches the file
 * system: `..`, encoded dots or a symlink added later lead nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentTypeOf, isCompressible } from './content-types';

/** One file of the page, ready to send. */
export interface WebAsset {
  /** Its route: `/web/<relative path>`. */
  readonly route: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The gzip form, when it is smaller. */
  readonly gzip: Buffer | undefined;
}

/** Files at most (the page is a handful; a wrong webRoot must not load a whole tree). */
const MAX_FILES = 200;
/** Bytes per file at most: the whole page is meant to stay under 100 KB gzipped. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Path segments a route may hold: plain names only, so none is read as an Express pattern. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The relative paths of the regular files under `dir` (no dot files, no symlinks), sorted. */
function listFiles(root: string, dir = '', found: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (found.length >= MAX_FILES) break;
    if (!SEGMENT.test(entry.name)) continue;
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) listFiles(root, rel, found);
    else if (entry.isFile()) found.push(rel);
  }
  return found.sort();
}

/** What was loaded: the files, or why there are none (for one log line). */
export type WebAssetsResult = { readonly assets: readonly WebAsset[] } | { readonly missing: string };

/** Reads the page under `root`; a folder that is absent or has no index.html yields `missing`. */
export function loadWebAssets(root: string): WebAssetsResult {
  let files: string[];
  try {
    files = listFiles(root);
  } catch (err) {
    return { missing: `${root}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!files.includes('index.html')) return { missing: `${root} holds no index.html` };
  const assets: WebAsset[] = [];
  for (const rel of files) {
    const body = fs.readFileSync(path.join(root, rel));
    if (body.length > MAX_FILE_BYTES) continue;
    const contentType = contentTypeOf(rel);
    const packed = isCompressible(contentType) ? gzipSync(body, { level: 9 }) : undefined;
    assets.push({ route: `/web/${rel}`, contentType, body, gzip: packed !== undefined && packed.length < body.length ? packed : undefined });
  }
  return { assets };
}
