import { createHash } from 'node:crypto';
import { DEFAULT_TSIG_ALGORITHM, findTsigAlgorithm, TSIG_ALGORITHM_NAMES, TSIG_ALGORITHMS, tsigAlgorithmFromWireName, type TsigAlgorithm } from './tsig-algorithms';

describe('the table', () => {
  test.each(TSIG_ALGORITHM_NAMES.map((a) => [a]))('%s: node:crypto knows the hash and its output is hashBytes long', (algorithm) => {
    const { hash, hashBytes } = TSIG_ALGORITHMS[algorithm];
    expect(createHash(hash).digest().length).toBe(hashBytes);
  });

  test('newest first, the default first of all', () => {
    expect(TSIG_ALGORITHM_NAMES).toEqual(['hmac-sha256', 'hmac-sha512', 'hmac-sha384', 'hmac-sha224', 'hmac-sha1', 'hmac-md5']);
    expect(DEFAULT_TSIG_ALGORITHM).toBe(TSIG_ALGORITHM_NAMES[0]);
  });
});

describe('names', () => {
  test.each<[string, TsigAlgorithm | undefined]>([
    ['hmac-md5.sig-alg.reg.int', 'hmac-md5'],
    ['HMAC-SHA256.', 'hmac-sha256'],
    ['hmac-md5', undefined],
    ['hmac-sha256-128', undefined],
  ])('on the wire %j -> %s', (name, algorithm) => {
    expect(tsigAlgorithmFromWireName(name)).toBe(algorithm);
  });

  test.each<[string, TsigAlgorithm | undefined]>([
    ['hmac-md5', 'hmac-md5'],
    ['HMAC-MD5.SIG-ALG.REG.INT.', 'hmac-md5'],
    ['Hmac-Sha1', 'hmac-sha1'],
    ['hmac-sha256..', undefined],
    [' hmac-sha256', undefined],
    ['sha256', undefined],
  ])('as written %j -> %s', (text, algorithm) => {
    expect(findTsigAlgorithm(text)).toBe(algorithm);
  });
});
