import { createTransferAcl } from './acl';

test.each<[string, boolean]>([
  ['192.0.2.53', true],
  ['::ffff:192.0.2.53', true],
  ['192.0.2.54', false],
  ['198.51.100.7', true],
  ['198.51.101.7', false],
  ['2001:db8::53', true],
  ['2001:db8::54', false],
  ['not an address', false],
  ['', false],
])('secondaries and allow ranges: %s -> %s', (source, admitted) => {
  const acl = createTransferAcl([{ host: '192.0.2.53' }, { host: '2001:db8::53' }], ['198.51.100.0/24']);
  expect(acl.admits(source)).toBe(admitted);
});

test('nobody by default, not even loopback', () => {
  const acl = createTransferAcl([], []);
  expect(acl.admits('127.0.0.1')).toBe(false);
  expect(acl.admits('::1')).toBe(false);
});
