import type { Command } from '../command';
import { commandName } from '../command-line';
import { accountsCommand } from './accounts';
import { auditCommand } from './audit';

const COMMANDS: readonly Command[] = [accountsCommand, auditCommand];

/** What the dispatcher decides: accounts or audit's parser reads this command line. */
function isManagementCommand(argv: readonly string[]): boolean {
  const name = commandName(argv, COMMANDS);
  return name === 'accounts' || name === 'audit';
}

/** The command chosen and what its parser returned, in one object as the old single parser gave. */
function parseManagementArgs(argv: readonly string[]): object {
  const command = argv.includes('audit') ? auditCommand : accountsCommand;
  const request = command.parse(argv);
  return request.kind === 'run' ? { command: command.name, ...(request.args as object) } : { command: request.kind };
}

const U = 'c36f50e8-4632-44f0-83fe-e070fef28a10';

describe('isManagementCommand', () => {
  it.each<[string[], boolean]>([
    [['accounts', 'list'], true],
    [['-c', 'accounts', 'serve'], false],
    [['-c', 'f.toml', 'accounts', 'list'], true],
    [['--config', 'f.toml', 'audit'], true],
    [['--config=f.toml', 'audit'], true],
    [['serve', 'accounts'], false],
    [[], false],
    [['--version'], false],
  ])('%j -> %s', (argv, expected) => {
    expect(isManagementCommand(argv)).toBe(expected);
  });
});

describe('parseManagementArgs', () => {
  it.each<[string[], object]>([
    [['accounts', 'list', '-c', 'f'], { command: 'accounts', action: 'list', configFile: 'f', json: false }],
    [['-c', 'f', 'accounts', 'list', '--json'], { action: 'list', json: true }],
    [['accounts', 'show', U, '--json'], { action: 'show', target: U, json: true }],
    [['accounts', 'create'], { action: 'create', allowFrom: [] }],
    [['accounts', 'create', '--allowfrom', ' 10.0.0.0/8 ,,::1/128'], { action: 'create', allowFrom: ['10.0.0.0/8', '::1/128'] }],
    [['accounts', 'delete', U], { action: 'delete', target: U }],
    [['accounts', 'rotate-password', U], { action: 'rotate-password', target: U }],
    [['accounts', 'set-allowfrom', U, 'NONE'], { action: 'set-allowfrom', target: U, allowFrom: [] }],
    [['accounts', 'set-allowfrom', U, '192.0.2.0/24,10.0.0.0/8'], { allowFrom: ['192.0.2.0/24', '10.0.0.0/8'] }],
    [['accounts', 'clear-txt', U], { action: 'clear-txt', target: U }],
    [['audit'], { command: 'audit', json: false }],
    [['audit', '--account', U, '--since', '24h', '--until', '2024-05-01', '--json'], { command: 'audit', account: U, since: '24h', until: '2024-05-01', json: true }],
    [['accounts', '-h'], { command: 'help' }],
    [['accounts', 'tsig', 'add', U], { action: 'tsig add', target: U, json: false }],
    [
      ['accounts', 'tsig', 'add', U, '--algorithm', 'HMAC-SHA512.', '--server', '[2001:db8::53]:5353', '--json'],
      { action: 'tsig add', target: U, algorithm: 'hmac-sha512', server: { host: '2001:db8::53', port: 5353 }, json: true },
    ],
    [['accounts', 'tsig', 'list', 'sub', '--json'], { action: 'tsig list', target: 'sub', json: true }],
    [['accounts', 'tsig', 'remove', 'k.auth.example.org.'], { action: 'tsig remove', target: 'k.auth.example.org.' }],
  ])('%j', (argv, expected) => {
    expect(parseManagementArgs(argv)).toMatchObject(expected);
  });

  it.each<[string[], RegExp]>([
    [['accounts'], /^accounts needs a subcommand/],
    [['accounts', 'purge'], /^unknown accounts subcommand: purge/],
    [['accounts', 'show'], /^accounts show needs <account>$/],
    [['accounts', 'set-allowfrom', U], /^accounts set-allowfrom needs <account> <CIDR,...\|none>$/],
    [['accounts', 'set-allowfrom', U, ' , '], /none to allow every address/],
    [['accounts', 'delete', U, U], /^unexpected argument: /],
    [['accounts', 'list', 'extra'], /^unexpected argument: extra$/],
    [['accounts', 'list', '--allowfrom', 'x'], /^--allowfrom is not an option of accounts list$/],
    [['accounts', 'create', '--json'], /^--json is an option of accounts list, show, tsig add and tsig list, not of create$/],
    [['accounts', 'tsig'], /^accounts tsig needs a subcommand: add, list, remove$/],
    [['accounts', 'tsig', 'rotate', U], /^unknown accounts tsig subcommand: rotate \(one of add, list, remove\)$/],
    [['accounts', 'add', U], /^unknown accounts subcommand: add \(one of list, show, create, delete, rotate-password, set-allowfrom, clear-txt, tsig\)$/],
    [['accounts', 'tsig', 'add'], /^accounts tsig add needs <account>$/],
    [['accounts', 'tsig', 'remove', 'a', 'b'], /^unexpected argument: b$/],
    [['accounts', 'tsig', 'add', U, '--algorithm', 'hmac-sha3'], /^unknown TSIG algorithm "hmac-sha3": one of hmac-sha256, /],
    [['accounts', 'tsig', 'add', U, '--server', 'host:99999'], /^--server: not HOST, HOST:PORT or \[IPv6\]:PORT: host:99999$/],
    [['accounts', 'tsig', 'list', U, '--algorithm', 'hmac-sha1'], /^--algorithm is not an option of accounts tsig list$/],
    [['accounts', 'tsig', 'remove', 'k', '--json'], /^--json is an option of accounts .*, not of tsig remove$/],
    [['accounts', 'create', '--server', 'x'], /^--server is not an option of accounts create$/],
    [['accounts', 'list', '--since', '1h'], /^--since is not an option/],
    [['audit', 'now'], /^unexpected argument: now/],
    [['audit', '--allowfrom', 'x'], /^--allowfrom is not an option of audit$/],
    [['audit', '--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseManagementArgs(argv)).toThrow(message);
  });
});
