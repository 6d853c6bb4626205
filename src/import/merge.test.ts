import { compareBinary, mergeJoin, type RecordRow, type TxtRow } from './merge';

const rec = (subdomain: unknown): RecordRow => ({ username: `u-${String(subdomain)}`, password: 'h', subdomain, allowfrom: '[]' });
const txt = (subdomain: unknown, value: string): TxtRow => ({ subdomain, value, lastupdate: 1 });

describe('compareBinary: SQLite BINARY (UTF-8 byte) order', () => {
  it.each<[string, string, number]>([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['A', 'a', -1],
    ['abc', 'ab', 1],
    // U+FF21 sorts before U+1F600 in UTF-8 and code points, after it in UTF-16 code units.
    ['\uff21', '\u{1f600}', -1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(compareBinary(a, b))).toBe(sign);
    expect(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).toBe(sign);
  });
});

describe('mergeJoin: records LEFT JOIN txt over two sorted streams', () => {
  it.each<[string, RecordRow[], TxtRow[], string[]]>([
    ['each account with its rows', [rec('a'), rec('b')], [txt('a', '1'), txt('a', '2'), txt('b', '3')], ['a:1', 'a:2', 'b:3']],
    ['an account without rows gets one with NULLs', [rec('a'), rec('b')], [txt('b', '3')], ['a:null', 'b:3']],
    ['rows of no account are passed over', [rec('b'), rec('d')], [txt('a', 'x'), txt('b', '1'), txt('c', 'y'), txt('e', 'z')], ['b:1', 'd:null']],
    ['nothing', [], [txt('a', 'x')], []],
    ['a subdomain that is not text joins nothing', [rec(Buffer.from('a')), rec('a')], [txt('a', '1')], ['a:null', 'a:1']],
  ])('%s', (_name, records, rows, expected) => {
    const out = [...mergeJoin(records, rows)].map((r) => `${Buffer.isBuffer(r.subdomain) ? r.subdomain.toString() : String(r.subdomain)}:${String(r.value)}`);
    expect(out).toEqual(expected);
  });

  it('releases the txt iterator when stopped early', () => {
    let released = false;
    const rows: Iterable<TxtRow> = {
      [Symbol.iterator]: () => {
        const inner = [txt('a', '1'), txt('b', '2')][Symbol.iterator]();
        return { next: () => inner.next(), return: () => ((released = true), { done: true, value: undefined }) };
      },
    };
    const it = mergeJoin([rec('a'), rec('b')], rows);
    it.next();
    it.return(undefined);
    expect(released).toBe(true);
  });
});
