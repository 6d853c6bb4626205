import { contentTypeOf, isCompressible } from './content-types';
import { acceptsGzip } from './headers';

test.each<[string | undefined, boolean]>([
  [undefined, false],
  ['', false],
  ['gzip', true],
  ['GZIP', true],
  ['x-gzip', true],
  ['gzip;q=0.5', true],
  ['gzip; q=0', false],
  ['gzip;q=0.0', false],
  ['*', true],
  ['*;q=0', false],
  ['*, gzip;q=0', false],
  ['identity, *;q=0.1', true],
  ['deflate, br', false],
])('Accept-Encoding %j admits gzip: %s', (header, expected) => {
  expect(acceptsGzip(header)).toBe(expected);
});

test.each([
  ['index.html', 'text/html; charset=utf-8', true],
  ['app.js', 'text/javascript; charset=utf-8', true],
  ['APP.CSS', 'text/css; charset=utf-8', true],
  ['app.js.map', 'application/json', true],
  ['logo.svg', 'image/svg+xml', true],
  ['logo.png', 'image/png', false],
  ['font.woff2', 'font/woff2', false],
  ['README', 'application/octet-stream', false],
  ['thing.exe', 'application/octet-stream', false],
])('%s is %s (compressible: %s)', (name, type, compressible) => {
  expect([contentTypeOf(name), isCompressible(contentTypeOf(name))]).toEqual([type, compressible]);
});
