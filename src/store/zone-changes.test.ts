import { ZoneChanges, inZone, normalizeName, previousSerial, toDeltas, type VersionChangeRow } from './zone-changes';

const Z = 'auth.example.org';

describe('ZoneChanges', () => {
  it.each<[string, (c: ZoneChanges) => void, [string, string, boolean, string][]]>([
    ['nothing', () => undefined, []],
    ['an addition', (c) => c.add('a', false, 'v'), [['add', 'a', false, 'v']]],
    ['added then pruned at once: no change', (c) => { c.add('a', false, 'v'); c.del('a', false, 'v'); }, []],
    ['deleted then added again: no change', (c) => { c.del('a', false, 'v'); c.add('a', false, 'v'); }, []],
    ['deletions before additions, each in arrival order', (c) => { c.add('a', false, '1'); c.del('a', false, '2'); c.add('b', false, '3'); c.del('b', false, '4'); }, [['del', 'a', false, '2'], ['del', 'b', false, '4'], ['add', 'a', false, '1'], ['add', 'b', false, '3']]],
    ['an own challenge and an account value of the same name stay apart', (c) => { c.add('x', true, 'v'); c.del('x', false, 'v'); }, [['del', 'x', false, 'v'], ['add', 'x', true, 'v']]],
  ])('%s', (_, act, rows) => {
    const c = new ZoneChanges();
    act(c);
    expect(c.rows().map((r) => [r.op, r.name, r.own, r.value])).toEqual(rows);
    expect(c.empty).toBe(rows.length === 0);
  });

  it('counts the net changes at one account name', () => {
    const c = new ZoneChanges();
    c.add('a', false, '1');
    c.add('a', false, '2');
    c.del('a', false, '3');
    c.add('b', false, '1');
    c.add('a', true, '4');
    expect([c.count('add', 'a'), c.count('del', 'a'), c.count('add', 'b')]).toEqual([2, 1, 1]);
  });
});

describe('serials and names', () => {
  it.each([[1, 0], [0, 4294967295], [4294967295, 4294967294]])('previousSerial(%d) = %d (RFC 1982 §3.1)', (to, from) => {
    expect(previousSerial(to)).toBe(from);
  });
  it.each<[string, boolean]>([[Z, true], [`_acme-challenge.${Z}`, true], [`x${Z}`, false], ['example.org', false]])('inZone(%s) = %s', (name, inside) => {
    expect(inZone(name, Z)).toBe(inside);
  });
  it('normalizes a key name: lower case, one final dot dropped', () => {
    expect(normalizeName('K1.Example.')).toBe('k1.example');
  });
});

describe('toDeltas', () => {
  const rows: VersionChangeRow[] = [
    { version: 7, op: 'add', name: 'a', own: false, value: 'v1' },
    { version: 8, op: 'del', name: 'a', own: false, value: 'v1' },
    { version: 8, op: 'add', name: `_acme-challenge.${Z}`, own: true, value: 'c' },
  ];
  it('turns versions into IXFR steps with full owner names', () => {
    expect(toDeltas(Z, [{ id: 7, from: 4294967295, to: 0 }, { id: 8, from: 0, to: 1 }], rows, 1)).toEqual([
      { from: 4294967295, to: 0, removed: [], added: [{ owner: `a.${Z}`, value: 'v1' }] },
      { from: 0, to: 1, removed: [{ owner: `a.${Z}`, value: 'v1' }], added: [{ owner: `_acme-challenge.${Z}`, value: 'c' }] },
    ]);
  });
  it.each<[string, { id: number; from: number; to: number }[], number]>([
    ['a gap in the chain', [{ id: 7, from: 5, to: 6 }, { id: 8, from: 7, to: 8 }], 8],
    ['a chain that does not end at the current serial', [{ id: 7, from: 5, to: 6 }], 9],
    ['no versions', [], 5],
  ])('undefined for %s', (_, versions, current) => {
    expect(toDeltas(Z, versions, rows, current)).toBeUndefined();
  });
});
