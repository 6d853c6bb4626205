import { canonicalPath, requestPath } from './paths';

describe('requestPath / canonicalPath', () => {
  test.each<[string, string | undefined]>([
    ['/update', '/update'],
    ['//update', '/update'],
    ['///register', '/register'],
    ['/update/', '/update'],
    ['/UPDATE', '/update'],
    ['/Register/', '/register'],
    ['/update?x=1', '/update'],
    ['//update/?x=/y', '/update'],
    ['/a/../update', '/update'],
    ['/./health', '/health'],
    ['/%75pdate', '/update'],
    ['/%zz', undefined],
    ['/', '/'],
    ['', '/'],
    ['http://auth.example.org/update', '/update'],
    ['https://auth.example.org//register', '/register'],
    ['/update/x', '/update/x'],
  ])('%j -> %j', (target, out) => expect(canonicalPath(requestPath(target))).toBe(out));
});
