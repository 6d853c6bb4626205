/**
 * The modules a DNS query runs through export plain values, never an accessor. TypeScript compiles
 * `export { x } from './y'` to a getter on the exports object, and V8 keeps an object with an
 * accessor in dictionary mode: every call into such a module from the query path is then a
 * generic property lookup (a LoadIC call) instead of a load, as V8's optimized code for udpNow
 * showed for update/index's OPCODE_UPDATE and wire.ts's decodeQuery. A module on this path
 * defines what it exports; names from elsewhere are imported from where they are defined.
 */
const QUERY_PATH = [
  './udp',
  './handler',
  './udp-replay',
  './reply-cache',
  './reply-templates',
  './answer',
  './serial',
  './early-responses',
  './packet',
  './names',
  './wire',
  './wire-decode',
  './wire-read',
  './zone',
  '../store/sqlite/reads',
  '../store/sqlite/account-sync',
  '../store/sqlite/account-index',
  '../store/sqlite/uuid-table',
  '../store/sqlite/uuid-key',
  '../store/sqlite/digest',
  '../store/sqlite/value-arena',
  '../store/sqlite/changes',
  '../store/sqlite/shm-view',
  '../metrics/dns-queries',
];

test.each(QUERY_PATH)('%s exports no accessor', (path) => {
  const exported: object = jest.requireActual(path);
  const accessors = Object.entries(Object.getOwnPropertyDescriptors(exported))
    .filter(([, d]) => d.get !== undefined || d.set !== undefined)
    .map(([name]) => name);
  expect(accessors).toEqual([]);
});
