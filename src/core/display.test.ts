import { displayText, escapeControls } from './display';

describe('escapeControls', () => {
  it.each<[string, string]>([
    ['plain-name', 'plain-name'],
    ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['a\rb\nc\td\x00e\x7f', 'a\\x0db\\x0ac\\x09d\\x00e\\x7f'],
    ['\u009b2J', '\\x9b2J'],
    ['evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['ünïcode ✓', 'ünïcode ✓'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });
});

describe('displayText', () => {
  it('leaves short text whole', () => {
    expect(displayText('x'.repeat(80))).toBe('x'.repeat(80));
  });

  it('cuts long text and says by how much', () => {
    expect(displayText('a'.repeat(5000))).toBe(`${'a'.repeat(80)}…(4920 more)`);
    expect(displayText('abcdef', 3)).toBe('abc…(3 more)');
  });

  it('escapes what it keeps', () => {
    expect(displayText('\x1b'.repeat(100), 2)).toBe('\\x1b\\x1b…(98 more)');
  });

  it('never splits a surrogate pair', () => {
    expect(displayText('ab😀cd', 3)).toBe('ab…(4 more)');
  });
});
