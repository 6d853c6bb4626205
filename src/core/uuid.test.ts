import { parseUuid } from './uuid';

const CANON = 'a097455b-52cc-4569-90c8-7a4b97c6eba8';

describe('parseUuid (Go uuid.Parse forms)', () => {
  test.each<[string, string | undefined]>([
    [CANON, CANON],
    [CANON.toUpperCase(), CANON],
    ['A097455b-52CC-4569-90c8-7A4B97C6EBA8', CANON],
    [`urn:uuid:${CANON}`, CANON],
    [`URN:UUID:${CANON}`, CANON],
    [`{${CANON}}`, CANON],
    [CANON.replace(/-/g, ''), CANON],
    [CANON.replace(/-/g, '').toUpperCase(), CANON],
    // acme-dns's own TestGetValidUsername list
    ['a-97455b-52cc-4569-90c8-7a4b97c6eba8', undefined],
    ['', undefined],
    ["&!#!25123!%!'%", undefined],
    // wrong shapes
    [`${CANON} `, undefined],
    [` ${CANON}`, undefined],
    [`urn:uuud:${CANON}`, undefined],
    [`(${CANON})`, undefined],
    [`{${CANON}`, undefined],
    ['a097455b52cc-4569-90c8-7a4b97c6eba8-', undefined],
    ['g097455b-52cc-4569-90c8-7a4b97c6eba8', undefined],
    ['a097455b-52cc-4569-90c8-7a4b97c6eba', undefined],
    [CANON.replace(/-/g, '').slice(0, 31) + 'z', undefined],
    ['non-uuid-user', undefined],
  ])('%j -> %j', (input, expected) => {
    expect(parseUuid(input)).toBe(expected);
  });
});
