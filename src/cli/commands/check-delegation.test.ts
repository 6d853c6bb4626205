import { commandName } from '../command-line';
import { normaliseDomain } from '../../delegation';
import { checkDelegationCommand, type CheckDelegationArgs } from './check-delegation';

/** What the dispatcher decides: check-delegation's parser reads this command line. */
function isCheckDelegationCommand(argv: readonly string[]): boolean {
  return commandName(argv, [checkDelegationCommand]) === 'check-delegation';
}

/** The parsed command line, with `help` set as the old parser gave it. */
function parseCheckDelegationArgs(argv: readonly string[]): CheckDelegationArgs & { help: boolean } {
  const request = checkDelegationCommand.parse(argv);
  if (request.kind === 'run') return { ...request.args, help: false };
  return { domain: '', resolvers: [], configFile: undefined, help: true };
}

describe('check-delegation command line', () => {
  test.each<[string[], boolean]>([
    [['check-delegation', 'example.com'], true],
    [['-c', 'x.toml', 'check-delegation', 'example.com'], true],
    [['--resolver', '127.0.0.1', 'check-delegation'], true],
    [['serve'], false],
    [['-c', 'check-delegation'], false], // the value of -c, not the command
    [[], false],
  ])('%j is check-delegation: %s', (argv, expected) => {
    expect(isCheckDelegationCommand(argv)).toBe(expected);
  });

  test('domain, repeated resolvers, config', () => {
    expect(
      parseCheckDelegationArgs(['check-delegation', '*.Shop.Example.COM.', '--resolver', '127.0.0.1:5353', '--resolver', '::1', '-c', 'a.toml']),
    ).toEqual({ domain: 'shop.example.com', resolvers: ['127.0.0.1:5353', '::1'], configFile: 'a.toml', help: false });
  });

  test('--help needs no domain', () => {
    expect(parseCheckDelegationArgs(['check-delegation', '--help']).help).toBe(true);
  });

  test.each<[string[], string]>([
    [['check-delegation'], 'needs a domain'],
    [['check-delegation', 'a.example', 'b.example'], 'unexpected argument: b.example'],
    [['check-delegation', 'bad domain!'], 'not a domain name'],
    [['check-delegation', 'a..b'], 'not a domain name'],
    [['check-delegation', 'x.example', '--resolvers', '1.1.1.1'], "Unknown option '--resolvers'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseCheckDelegationArgs(argv)).toThrow(message);
  });

  test.each([
    ['Example.COM', 'example.com'],
    ['*.example.com', 'example.com'],
    ['example.com.', 'example.com'],
    [' example.com ', 'example.com'],
  ])('%j -> %s', (input, output) => {
    expect(normaliseDomain(input)).toBe(output);
  });
});
