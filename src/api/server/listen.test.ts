import { bindError } from './listen';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

describe('bindError', () => {
  test.each<[string, RegExp]>([
    ['EACCES', /^cannot listen on 0\.0\.0\.0:443: permission denied; .*CAP_NET_BIND_SERVICE/],
    ['EADDRINUSE', /^cannot listen on 0\.0\.0\.0:443: address already in use/],
    ['EADDRNOTAVAIL', /^cannot listen on 0\.0\.0\.0:443: no such local address/],
    ['EINVAL', /^cannot listen on 0\.0\.0\.0:443: listen EINVAL/],
  ])('%s -> %s', (code, message) => {
    expect(bindError(errno(code), '0.0.0.0:443').message).toMatch(message);
  });
});
