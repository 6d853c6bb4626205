/** The UDP socket's name lookup: a peer's address (an IP literal) comes back in the same call. */
import { literalLookup } from './udp';

/** What literalLookup called back with; throws when it had not called back before returning. */
function lookUp(hostname: string, family: number): { err: unknown; address: string; family: number } {
  let got: { err: unknown; address: string; family: number } | undefined;
  literalLookup(hostname, family, (err, address, fam) => {
    got = { err, address, family: fam };
  });
  if (got === undefined) throw new Error(`no answer in the same call for ${hostname}`);
  return got;
}

test('IPv4 and IPv6 literals are answered in the same call, with their own family', () => {
  expect(lookUp('127.0.0.1', 4)).toEqual({ err: null, address: '127.0.0.1', family: 4 });
  expect(lookUp('::1', 6)).toEqual({ err: null, address: '::1', family: 6 });
  expect(lookUp('2001:db8::53', 6)).toEqual({ err: null, address: '2001:db8::53', family: 6 });
});

test('the address asked last, asked again, keeps its family; the next one gets its own', () => {
  for (let i = 0; i < 3; i++) expect(lookUp('192.0.2.7', 4)).toEqual({ err: null, address: '192.0.2.7', family: 4 });
  for (let i = 0; i < 3; i++) expect(lookUp('2001:db8::7', 6)).toEqual({ err: null, address: '2001:db8::7', family: 6 });
  expect(lookUp('192.0.2.8', 4).family).toBe(4);
});
