/** parseName is presentName's inverse: odd labels go back to the wire as the bytes that were asked. */
import { parseName, presentName } from './names';

describe('parseName', () => {
  test.each<[string, string[]]>([
    ['plain', ['acct', 'auth', 'example', 'org']],
    ['0x20', ['AcCt', 'AUTH', 'example', 'org']],
    ['a dot inside a label', ['a.b', 'auth', 'example', 'org']],
    ['a backslash', ['a\\b', 'org']],
    ['a space, NUL and 0xff', ['c d', '\x00', '\xff\xfe', 'org']],
    ['digits after an escape', ['\x001', 'a\\123', 'org']],
    ['the root', []],
  ])('%s', (_what, labels) => {
    expect(parseName(presentName(labels))).toEqual(labels);
  });

  test('every byte value survives', () => {
    const label = Array.from({ length: 63 }, (_, i) => String.fromCharCode((i * 37 + 11) % 256)).join('');
    const labels = [label, String.fromCharCode(...Array.from({ length: 63 }, (_, i) => 192 + i)), '.', '\\'];
    expect(parseName(presentName(labels))).toEqual(labels);
  });
});
