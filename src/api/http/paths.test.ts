import { canonicalPath, requestPath, routablePath } from './paths';

describe('requestPath / canonicalPath', () => {
  test.each<[string, string]>([
    // What real clients send (clients.md §9): served as the route.
    ['/update', '/update'],
    ['//update', '/update'],
    ['///register', '/register'],
    ['/update/', '/update'],
    ['//update//', '/update'],
    ['/update?x=1', '/update'],
    ['//update/?x=/y', '/update'],
    ['/', '/'],
    ['', '/'],
    ['//', '/'],
    ['http://auth.example.org/update', '/update'],
    ['https://auth.example.org//register', '/register'],
    ['http://auth.example.org', '/'],
    ['http://auth.example.org?x', '/'],
    // What a proxy's rule would read as another path: kept as sent, so no route matches.
    ['/UPDATE', '/UPDATE'],
    ['/Register/', '/Register'],
    ['/a/../update', '/a/../update'],
    ['/./health', '/./health'],
    ['/%75pdate', '/%75pdate'],
    ['/%2e%2e/register', '/%2e%2e/register'],
    ['/%zz', '/%zz'],
    ['/update/x', '/update/x'],
    ['/update\\', '/update\\'],
    ['/update%2f', '/update%2f'],
    ['http://h/x/../register', '/x/../register'],
    ['http://h/%2e%2e/register', '/%2e%2e/register'],
  ])('%j -> %j', (target, out) => expect(canonicalPath(requestPath(target))).toBe(out));
});

describe('routablePath', () => {
  test.each<[string, string]>([
    ['/update', '/update'],
    ['/%2e%2e/register', '/%2e%2e/register'],
    // url.parse (parseurl's fallback) would trim these to /register; encoded, they match nothing.
    ['/register\u00a0', '/register%C2%A0'],
    ['/register ', '/register%20'],
    ['/register\t', '/register%09'],
  ])('%j -> %j', (canonical, out) => expect(routablePath(canonical)).toBe(out));
});
