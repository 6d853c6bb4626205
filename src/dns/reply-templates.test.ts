/** Templates' holes, keys, validity and refutation (the handler's use: test/dns-reply-templates.test.ts). */
import { createReplyTemplates, fill, findHoles, MAX_PER_SHAPE, type Validity } from './reply-templates';

/** A reply-like buffer: 12-octet header, the name `\x03abc\x00`, 4 octets, then `body`. */
function reply(label: string, body: Buffer): Buffer {
  const head = Buffer.alloc(12, 0xee);
  return Buffer.concat([head, Buffer.from([label.length]), Buffer.from(label, 'latin1'), Buffer.from([0, 0, 16, 0, 1]), body]);
}
const NAME_END = 12 + 5;
const str = (v: string): Buffer => Buffer.concat([Buffer.from([Buffer.byteLength(v)]), Buffer.from(v)]);
const valid: Validity = { generation: 1, second: 10, dnskeys: undefined, qtype: 16, rcode: 0 };

describe('findHoles', () => {
  test('each value after its length octet, in order, after the question', () => {
    const r = reply('abc', Buffer.concat([Buffer.from([1, 2]), str('one'), Buffer.from([9]), str('two')]));
    expect(findHoles(r, NAME_END + 4, ['one', 'two'])).toEqual([NAME_END + 4 + 3, NAME_END + 4 + 3 + 4 + 1]);
  });

  test('the same value twice: two holes', () => {
    const r = reply('abc', Buffer.concat([str('v'), str('v')]));
    expect(findHoles(r, NAME_END + 4, ['v', 'v'])).toEqual([NAME_END + 5, NAME_END + 7]);
  });

  test.each<[string, Buffer, string[]]>([
    ['a value not in the reply', str('one'), ['two']],
    ['values out of order', Buffer.concat([str('two'), str('one')]), ['one', 'two']],
    ['a value without its length octet', Buffer.from('one'), ['one']],
    ['a value longer than one character-string', Buffer.alloc(0), ['x'.repeat(300)]],
  ])('none for %s', (_what, body, values) => {
    expect(findHoles(reply('abc', body), NAME_END + 4, values)).toBeUndefined();
  });
});

test('fill writes the ID, the name and the values', () => {
  const templates = createReplyTemplates();
  templates.learn('k', 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
  const template = templates.get('k', ['one'], 1, 10, undefined);
  if (template === undefined) throw new Error('not learnt');
  const msg = Buffer.concat([Buffer.from([0x12, 0x34]), Buffer.alloc(10), Buffer.from('\u0003XyZ\u0000', 'latin1')]);
  const out = fill(template, msg, NAME_END, ['two']);
  expect(out.subarray(0, 2)).toEqual(Buffer.from([0x12, 0x34]));
  expect(out.subarray(12, NAME_END).toString('latin1')).toBe('\u0003XyZ\u0000');
  expect(out.subarray(-3).toString()).toBe('two');
  // The template itself is untouched.
  expect(template.reply.subarray(-3).toString()).toBe('one');
});

describe('createReplyTemplates', () => {
  test('valid for its generation, second and DNSKEY set only', () => {
    const templates = createReplyTemplates();
    templates.learn('k', 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
    expect(templates.get('k', ['one'], 1, 10, undefined)).toBeDefined();
    expect(templates.get('k', ['one'], 2, 10, undefined)).toBeUndefined();
    expect(templates.get('k', ['one'], 1, 11, undefined)).toBeUndefined();
    expect(templates.get('k', ['one'], 1, 10, {})).toBeUndefined();
  });

  test('verified when the full path built what it fills; never learnt again once refuted', () => {
    const templates = createReplyTemplates();
    const msg = (label: string): Buffer => reply(label, Buffer.alloc(0)).subarray(0, NAME_END);
    templates.learn('k', 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
    const t = templates.get('k', ['one'], 1, 10, undefined);
    if (t === undefined) throw new Error('not learnt');
    templates.check('k', t, msg('def'), NAME_END, ['two'], reply('def', str('two')));
    expect(t.verified).toBe(true);

    templates.learn('j', 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
    const u = templates.get('j', ['one'], 1, 10, undefined);
    if (u === undefined) throw new Error('not learnt');
    // The full path's reply for `def` differs elsewhere than name and value: refuted.
    const other = reply('def', str('two'));
    other[2] = 0;
    templates.check('j', u, msg('def'), NAME_END, ['two'], other);
    expect(u.verified).toBe(false);
    expect(templates.get('j', ['one'], 1, 10, undefined)).toBeUndefined();
    templates.learn('j', 'abc', reply('abc', str('one')), NAME_END, ['one'], { ...valid, second: 11 });
    expect(templates.get('j', ['one'], 1, 11, undefined)).toBeUndefined();
  });

  test('one template per list of value lengths in a shape', () => {
    const templates = createReplyTemplates();
    templates.learn('k', 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
    templates.learn('k', 'abc', reply('abc', Buffer.concat([str('two'), str('four')])), NAME_END, ['two', 'four'], valid);
    templates.learn('k', 'abc', reply('abc', str('ä')), NAME_END, ['ä'], valid);
    expect(templates.get('k', ['xyz'], 1, 10, undefined)?.holes).toEqual([NAME_END + 5]);
    expect(templates.get('k', ['abc', 'defg'], 1, 10, undefined)?.lengths).toEqual([3, 4]);
    // Two octets, two characters: found by length in octets.
    expect(templates.get('k', ['xy'], 1, 10, undefined)?.lengths).toEqual([2]);
    expect(templates.get('k', ['x'], 1, 10, undefined)).toBeUndefined();
    expect(templates.get('k', [], 1, 10, undefined)).toBeUndefined();
  });

  test('at most MAX_PER_SHAPE lists of lengths per shape: the oldest goes', () => {
    const templates = createReplyTemplates();
    for (let n = 1; n <= MAX_PER_SHAPE + 1; n++) templates.learn('k', 'abc', reply('abc', str('v'.repeat(n))), NAME_END, ['v'.repeat(n)], valid);
    expect(templates.get('k', ['v'], 1, 10, undefined)).toBeUndefined();
    expect(templates.get('k', ['vv'], 1, 10, undefined)).toBeDefined();
  });

  test('full: starts again', () => {
    const templates = createReplyTemplates(2);
    for (const k of ['a', 'b', 'c']) templates.learn(k, 'abc', reply('abc', str('one')), NAME_END, ['one'], valid);
    expect(templates.get('a', ['one'], 1, 10, undefined)).toBeUndefined();
    expect(templates.get('c', ['one'], 1, 10, undefined)).toBeDefined();
  });
});
