import { groupAccounts } from './group';
import type { SourceAccount, SourceRow } from './types';

function row(username: string, value: string | null): SourceRow {
  return { username, password: 'h', subdomain: `s-${username}`, allowfrom: '[]', value, lastupdate: value ? 1 : null };
}

async function* batches(...b: SourceRow[][]): AsyncGenerator<SourceRow[]> {
  for (const x of b) yield x;
}

async function collect(it: AsyncIterable<SourceAccount[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const accounts of it) out.push(accounts.map((a) => `${String(a.username)}:${a.txt.map((t) => String(t.value)).join('+')}`));
  return out;
}

describe('groupAccounts', () => {
  it.each<[string, SourceRow[][], number, string[][]]>([
    ['one account per group of rows', [[row('a', ''), row('a', 'x'), row('b', 'y')]], 10, [['a:+x', 'b:y']]],
    ['an account without txt rows (LEFT JOIN NULLs)', [[row('a', null)]], 10, [['a:']]],
    ['an account split across two fetched batches stays whole', [[row('a', '1'), row('b', '2')], [row('b', '3'), row('c', '4')]], 10, [['a:1', 'b:2+3', 'c:4']]],
    ['batches of the requested size', [[row('a', '1'), row('b', '2'), row('c', '3')]], 2, [['a:1', 'b:2'], ['c:3']]],
    ['nothing', [], 5, []],
    ['empty batches', [[], []], 5, []],
  ])('%s', async (_name, input, size, expected) => {
    expect(await collect(groupAccounts(batches(...input), size))).toEqual(expected);
  });

  it('groups BLOB usernames by content', async () => {
    const a = { ...row('x', '1'), username: Buffer.from('u') };
    const b = { ...row('x', '2'), username: Buffer.from('u') };
    expect((await collect(groupAccounts(batches([a, b]), 5)))[0]).toHaveLength(1);
  });
});
