/**
 * Builds the self-service page (src/web) into dist/web/: app.js bundled and minified by esbuild
 * as ES2020 (every browser of the last years) (no Node built-ins: platform browser), app.css minified, and
 * index.html copied. Run by `npm run build` after tsc; fails the build on any esbuild error.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
fs.mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    app: path.join(root, 'src/web/main.ts'),
  },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  // The server's tsconfig is for Node; the page's own says DOM (esbuild reads only a few options).
  tsconfig: path.join(root, 'src/web/tsconfig.json'),
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: path.join(root, 'src/web/app.css') },
  outdir: out,
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'src/web/index.html'), path.join(out, 'index.html'));
